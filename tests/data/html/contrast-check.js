// WCAG 2.1 AA text contrast on the rendered page, run by tests/html_dashboard.rs through
// WebDriver: the text colour of every visible element with text of its own against the nearest
// opaque background; 4.5:1, or 3:1 for large text (24px, or 18.66px bold).
function rgb(s) { var m = s.match(/[\d.]+/g); return m ? m.map(Number) : [0,0,0,0]; }
function lum(c) { var a = c.slice(0,3).map(function (v) { v /= 255; return v <= 0.03928 ? v/12.92 : Math.pow((v+0.055)/1.055, 2.4); }); return 0.2126*a[0] + 0.7152*a[1] + 0.0722*a[2]; }
function bg(node) {
  for (var n = node; n && n.nodeType === 1; n = n.parentElement) {
    var c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length < 4 || c[3] > 0.5) { if (c.length >= 3 && !(c.length === 4 && c[3] === 0)) return c; }
  }
  return [255,255,255,1];
}
var bad = [], checked = 0;
document.querySelectorAll('body *').forEach(function (node) {
  var own = Array.prototype.some.call(node.childNodes, function (t) { return t.nodeType === 3 && t.textContent.trim(); });
  if (!own) return;
  var r = node.getBoundingClientRect();
  if (r.width <= 1 || r.height <= 1 || !node.getClientRects().length) return;
  var style = getComputedStyle(node);
  if (style.visibility === 'hidden') return;
  var isSvg = node instanceof SVGElement;
  var fg = rgb(isSvg ? style.fill : style.color);
  var back = bg(isSvg ? node.closest('div') : node);
  var l1 = lum(fg), l2 = lum(back);
  var ratio = (Math.max(l1,l2) + 0.05) / (Math.min(l1,l2) + 0.05);
  var size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
  var need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
  checked += 1;
  if (ratio < need) bad.push(node.tagName + '.' + node.className + ' "' + node.textContent.trim().slice(0,40) + '" ' + ratio.toFixed(2));
});
return {checked: checked, bad: bad};
