/* 分享 */
var _shareTitle = document.title;
var _shareUrl = window.location.href;
function shareTo(site){
	var url = encodeURIComponent(_shareUrl), title = encodeURIComponent(_shareTitle), target = "";
	switch(site){
		case "weibo":
			target = "http://service.weibo.com/share/share.php?url=" + url + "&title=" + title;
			break;
		case "qzone":
			target = "https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url=" + url + "&title=" + title;
			break;
		case "wechat":
			var box = document.getElementById("qrcode_box");
			if(box){ box.style.display = box.style.display == "block" ? "none" : "block"; }
			return;
		default:
			return;
	}
	window.open(target, "_blank", "width=640,height=480,scrollbars=yes,resizable=yes");
}
function doZoom(size){
	var zoom = document.getElementById("zoom") || document.querySelector(".TRS_Editor");
	if(zoom){ zoom.style.fontSize = size + "px"; }
}
function AddFavorite(){
	try{ window.external.addFavorite(window.location.href, document.title); }
	catch(e){ try{ window.sidebar.addPanel(document.title, window.location.href, ""); }
	catch(e2){ alert("加入收藏失败，请使用Ctrl+D进行添加"); } }
}
