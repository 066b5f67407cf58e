/* Screen edition: accessible names for the sliders of the live charts (inlined into each page).
 *
 * ipywidgets' slider handle (noUiSlider, role="slider") has no accessible name and announces the
 * position (0, 1, 2 …) of a selection slider, not its value.  This names each handle by its
 * widget's description label (aria-labelledby) and gives it the readout as aria-valuetext
 * ("2018", "97.5%"), whenever the widgets render or a value changes.  It only adds ARIA
 * attributes to the page's own elements; it loads nothing.
 */
(function () {
  "use strict";
  var count = 0;
  function nameSliders() {
    var handles = document.querySelectorAll(".live-chart .noUi-handle");
    for (var i = 0; i < handles.length; i++) {
      var handle = handles[i];
      var slider = handle.closest(".widget-slider");
      if (!slider) continue;
      var label = slider.querySelector(".widget-label");
      if (label && label.textContent.trim() && !handle.hasAttribute("aria-labelledby")) {
        if (!label.id) label.id = "live-chart-slider-" + (++count);
        handle.setAttribute("aria-labelledby", label.id);
      }
      var readout = slider.querySelector(".widget-readout");
      var text = readout ? readout.textContent.trim() : "";
      if (text && handle.getAttribute("aria-valuetext") !== text) handle.setAttribute("aria-valuetext", text);
    }
  }
  new MutationObserver(nameSliders).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-valuenow"]
  });
})();
