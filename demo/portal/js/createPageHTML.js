/* TRS WCM 分页 */
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var html = "共" + _nPageCount + "页&nbsp;";
  for(var i = 0; i < _nPageCount; i++){
    var href = (i == 0) ? (_sPageName + "." + _sPageExt) : (_sPageName + "_" + i + "." + _sPageExt);
    if(i == _nCurrIndex){ html += "<span class=\"current\">" + (i + 1) + "</span>&nbsp;"; }
    else { html += "<a href=\"" + href + "\">" + (i + 1) + "</a>&nbsp;"; }
  }
  document.write(html);
}
