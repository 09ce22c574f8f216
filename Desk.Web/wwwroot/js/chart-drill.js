// Drill-down from a chart: a click on a bar or a point opens the queue view its table cell links to.
// links[datasetIndex][index] is that URL (null where nothing is behind the bar). Spread into a chart's options.
window.deskChartDrill = function (links) {
    const at = elements => {
        const e = elements && elements[0];
        return e && links && links[e.datasetIndex] ? links[e.datasetIndex][e.index] : null;
    };
    return {
        onClick: (event, elements) => { const url = at(elements); if (url) window.location.href = url; },
        onHover: (event, elements) => { if (event.native && event.native.target) event.native.target.style.cursor = at(elements) ? 'pointer' : 'default'; }
    };
};
