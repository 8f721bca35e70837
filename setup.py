"""Build of the optional C walks (pipeline/extract/_ctree.pyx); everything else is in
pyproject.toml. Without a C compiler the extension is skipped and the Python walks run."""

from setuptools import Extension, setup

try:
    import lxml
    from Cython.Build import cythonize
except ImportError:  # no build requirements (a plain source checkout): pure Python
    ext_modules = []
else:
    ext_modules = cythonize(
        [
            Extension(
                "pipeline.extract._ctree",
                ["pipeline/extract/_ctree.pyx"],
                include_dirs=lxml.get_include(),
                optional=True,
            )
        ],
        compiler_directives={"language_level": "3"},
        quiet=True,
    )
    for extension in ext_modules:
        extension.optional = True  # cythonize's copies drop it: a failed compile only warns

setup(ext_modules=ext_modules)
