// A button marked data-print prints the page (no inline handlers: the Content-Security-Policy allows scripts from /static only).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
