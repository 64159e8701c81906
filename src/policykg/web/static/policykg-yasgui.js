// policykg's YASGUI set-up: this server's /sparql only, no lookups that leave the machine.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("policykg-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  // the prefix (prefix.cc) and term (LOV) autocompleters fetch from the web: keep the local one
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    persistenceId: null,
    populateFromUrl: false,
    autoAddOnInit: false,
    autofocus: false
  });
  var first = null;
  config.tabs.forEach(function (tab, i) {
    var added = yasgui.addTab(i === 0, {
      name: tab.name,
      yasqe: { value: tab.query },
      requestConfig: { endpoint: endpoint, method: "POST" }
    });
    if (i === 0) { first = added; }
  });
  window.policykgYasgui = yasgui;
  if (config.run && first) { first.query(); }
})();
