$(document).ready(function(){
	$('#${cid}').jpage({
		dataStore: $('#${cid} script').html(),
		perPage: ${perpage},
		totalRecord: ${total},
		groupSize: 3,
		barPosition: 'bottom',
		proxyUrl: '${proxy}',
		ajaxParam: {'col': 1, 'appid': 1, 'webid': 1, 'path': '/', 'columnid': ${cid}, 'sourceContentType': 1, 'unitid': ${unitid}, 'webname': '${webname}', 'permissiontype': 0}
	});
});
