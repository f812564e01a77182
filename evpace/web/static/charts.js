// Renders every Vega-Lite chart on the page (only loaded when the vendored Vega scripts are present).
// The spec is the JSON text of the container's data-vega-spec attribute (no inline script: the page's
// Content-Security-Policy allows none, and htmx drops script elements from swapped content).
(function () {
  function draw(root) {
    if (typeof vegaEmbed !== "function") return;
    root.querySelectorAll(".vega-chart[data-vega-spec]").forEach(function (el) {
      if (el.dataset.drawn) return;
      el.dataset.drawn = "1";
      vegaEmbed(el, JSON.parse(el.dataset.vegaSpec), { actions: false, renderer: "svg" }).catch(function (err) {
        el.textContent = "chart failed: " + err;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  // settle events fire on the requesting element (e.g. the form), not on the swapped target: look everywhere
  document.addEventListener("htmx:afterSettle", function () { draw(document); });
})();
