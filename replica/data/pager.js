function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
	if(_nPageCount == null || _nPageCount <= 1){
		return;
	}
	var nCurrIndex = _nCurrIndex || 0;
	function pageName(i){
		return (i == 0 ? _sPageName : _sPageName + "_" + i) + "." + _sPageExt;
	}
	document.write("共" + _nPageCount + "页&nbsp;&nbsp;");
	if(nCurrIndex == 0){
		document.write("首页&nbsp;上一页&nbsp;");
	}else{
		document.write("<a href=\"" + pageName(0) + "\" class=\"pagestyle\">首页</a>&nbsp;");
		document.write("<a href=\"" + pageName(nCurrIndex - 1) + "\" class=\"pagestyle\">上一页</a>&nbsp;");
	}
	if(nCurrIndex == _nPageCount - 1){
		document.write("下一页&nbsp;尾页");
	}else{
		document.write("<a href=\"" + pageName(nCurrIndex + 1) + "\" class=\"pagestyle\">下一页</a>&nbsp;");
		document.write("<a href=\"" + pageName(_nPageCount - 1) + "\" class=\"pagestyle\">尾页</a>");
	}
}
