"""WARC 1.1 capture: every HTTP exchange of a crawl, as evidence other tools can read.

* :mod:`pipeline.warc.exchange`: what the crawl hands over for one exchange (request and
  response, headers and body as received), built in the crawl process, written in the writer's.
* :mod:`pipeline.warc.files`: the WARC files of an archive (``<archive>/warc/`` beside the
  database), gzip per record, rotated by size, with a CDXJ index beside each file; a
  :class:`~pipeline.warc.files.Pointer` names one record (file, offset, length, record id).
* :mod:`pipeline.warc.read`: one record back from its pointer, digests checked.
* :mod:`pipeline.warc.migrate`: older archives' ``notice_versions.raw_gzip`` moved into WARC.
"""

from pipeline.warc.exchange import Exchange, new_record_id
from pipeline.warc.files import POINTER_COLUMNS, Pointer, WarcFiles, warc_dir

__all__ = ["POINTER_COLUMNS", "Exchange", "Pointer", "WarcFiles", "new_record_id", "warc_dir"]
