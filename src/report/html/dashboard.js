/* openly estate dashboard: draws the report JSON embedded in #openly-report.
   Every string in the report is untrusted (repository names, messages, excerpts), so none of it
   is ever parsed as markup: elements are built with DOM calls and text set with textContent.
   Fields that older or newer reports lack are skipped, not guessed. No dependencies, no network. */
(function () {
  "use strict";

  var OUTCOMES = {
    "fail": { icon: "\u2717", text: "Fail", order: 0 },
    "error": { icon: "!", text: "Error", order: 1 },
    "needs-review": { icon: "?", text: "Needs review", order: 2 },
    "baseline": { icon: "=", text: "In baseline", order: 3 },
    "waived": { icon: "\u21b7", text: "Waived", order: 3 },
    "pass": { icon: "\u2713", text: "Pass", order: 4 },
    "not-applicable": { icon: "\u2013", text: "Not applicable", order: 5 }
  };
  var SEVERITY_ORDER = { "error": 0, "warning": 1, "info": 2 };
  var CATEGORY_ORDER = ["licence", "readme", "community", "data", "secrets", "rap", "hygiene", "maintenance"];
  var CATEGORY_NAMES = {
    licence: "Licence", readme: "README", community: "Community files", data: "Data",
    secrets: "Secrets", rap: "RAP", hygiene: "Hygiene", maintenance: "Maintenance"
  };
  var RAP_LEVELS = ["gold", "silver", "baseline", "none"];
  var RAP_NAMES = { gold: "Gold", silver: "Silver", baseline: "Baseline", none: "None" };
  var LICENCE_MIX = [
    { key: "dual", text: "MIT code + OGL docs (dual)" },
    { key: "mit", text: "MIT only" },
    { key: "ogl", text: "OGL only" },
    { key: "other", text: "Other" },
    { key: "none", text: "None found" }
  ];
  var GRADES = ["A", "B", "C", "D", "E", "F"];
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var ATTENTION_SHOWN = 10;
  // Failed rules that mean possible patient data (with every secrets/* rule): the same list as
  // report::estate, used only when the report carries no `estate` object of its own.
  var PERSONAL_DATA_RULES = ["data/nhs-number", "data/chi-number", "data/quasi-identifiers", "data/small-numbers"];
  var EXEMPLARS_OVERALL = 3;
  var EXEMPLARS_PER_CATEGORY = 3;

  // ---- small helpers -------------------------------------------------------------------------

  function arr(value) { return Array.isArray(value) ? value : []; }
  function obj(value) { return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {}; }
  function str(value) { return typeof value === "string" ? value : (value === null || value === undefined ? "" : String(value)); }
  function num(value) { return typeof value === "number" && isFinite(value) ? value : null; }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }
  function fmtScore(value) { return value === null ? "\u2014" : (Math.round(value * 10) / 10).toFixed(1); }
  function categoryName(id) { return CATEGORY_NAMES[id] || id; }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    var key;
    for (key in (attrs || {})) {
      if (!Object.prototype.hasOwnProperty.call(attrs, key) || attrs[key] === null || attrs[key] === undefined) { continue; }
      if (key === "text") { node.textContent = attrs[key]; } else if (key === "className") { node.className = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    }
    append(node, children);
    return node;
  }
  function append(node, children) {
    arr(children).forEach(function (child) {
      if (child === null || child === undefined || child === false) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    return node;
  }
  // Only http(s) links from the report become links; anything else (javascript:, data:) is text.
  function safeUrl(value) {
    var url = str(value).trim();
    return /^https?:\/\//i.test(url) ? url : null;
  }

  function outcomeBadge(outcome) {
    var known = OUTCOMES[outcome];
    var text = known ? known.icon + " " + known.text : "\u2022 " + (outcome || "unknown");
    return el("span", { className: "badge badge--" + (known ? outcome : "unknown"), text: text });
  }

  // ---- reading the report --------------------------------------------------------------------

  function readReport() {
    var holder = document.getElementById("openly-report");
    if (!holder) { throw new Error("the page has no embedded report"); }
    var data = JSON.parse(holder.textContent);
    if (!data || typeof data !== "object") { throw new Error("the embedded report is not a JSON object"); }
    return data;
  }

  // Distinct SPDX ids of a scope, from facts.licences.
  function licenceIds(repo, scope) {
    var seen = {};
    arr(obj(repo.facts).licences).forEach(function (fact) {
      var f = obj(fact);
      if (str(f.scope) === scope && str(f.spdx)) { seen[str(f.spdx)] = true; }
    });
    return Object.keys(seen).sort();
  }

  // MIT for code and OGL for docs is the playbook's pattern ("dual"); anything else is "other".
  function licenceMix(repo) {
    var all = arr(obj(repo.facts).licences).map(function (f) { return str(obj(f).spdx); }).filter(Boolean);
    if (all.length === 0) { return "none"; }
    var code = licenceIds(repo, "code");
    var ogl = all.some(function (id) { return /^OGL-UK/i.test(id); });
    var codeIsMit = code.length === 1 && code[0] === "MIT";
    var nonOgl = all.filter(function (id) { return !/^OGL-UK/i.test(id); });
    if (codeIsMit && ogl) { return "dual"; }
    if (codeIsMit && !ogl) { return "mit"; }
    if (ogl && nonOgl.length === 0) { return "ogl"; }
    return "other";
  }

  function ruleCategory(finding) { return str(finding.rule).split("/")[0]; }
  function isSensitive(finding) {
    return ruleCategory(finding) === "secrets" || PERSONAL_DATA_RULES.indexOf(str(finding.rule)) >= 0;
  }

  // The emitter gives what every finding of a rule shares once, in `rules`; put it back.
  function withRule(rules) {
    return function (finding) {
      var f = obj(finding);
      var shared = obj(rules[str(f.rule)]);
      var full = {};
      Object.keys(shared).forEach(function (key) { full[key] = shared[key]; });
      Object.keys(f).forEach(function (key) { full[key] = f[key]; });
      return full;
    };
  }

  function summarise(repo, index, rules) {
    var findings = arr(repo.findings).map(withRule(rules));
    var failed = findings.filter(function (f) { return f.outcome === "fail"; });
    var urgent = failed.filter(isSensitive);
    var errored = str(repo.error) !== "";
    var categories = {};
    arr(repo.categories).forEach(function (c) {
      var cat = obj(c);
      if (str(cat.id)) { categories[str(cat.id)] = num(cat.score); }
    });
    return {
      index: index,
      repo: repo,
      name: str(repo.name) || "(unnamed " + (index + 1) + ")",
      score: num(repo.score),
      grade: str(repo.grade),
      rap: RAP_NAMES[str(repo.rap_level)] ? str(repo.rap_level) : "none",
      licence: licenceMix(repo),
      findings: findings,
      failed: failed.length,
      failedErrors: failed.filter(function (f) { return f.severity === "error"; }).length,
      urgentOrder: null,
      review: findings.filter(function (f) { return f.outcome === "needs-review"; }).length,
      urgent: urgent,
      errored: errored,
      attention: urgent.length > 0 || errored,
      categories: categories,
      failedRules: failed.map(function (f) { return str(f.rule).toLowerCase(); }).join(" ")
    };
  }

  // ---- header and headline numbers -----------------------------------------------------------

  function renderMeta(report) {
    var tool = obj(report.tool);
    var pack = obj(report.rule_pack);
    var parts = [];
    if (str(report.generated_at)) { parts.push("Generated " + str(report.generated_at)); }
    if (str(pack.name)) { parts.push("rule pack " + str(pack.name) + (str(pack.version) ? " " + str(pack.version) : "")); }
    if (str(tool.name)) { parts.push(str(tool.name) + (str(tool.version) ? " " + str(tool.version) : "")); }
    document.getElementById("report-meta").textContent = parts.join(" \u00b7 ");
    if (str(report.generated_at)) { document.title = "openly estate report, " + str(report.generated_at); }
  }

  function renderHeadlines(report, rows) {
    var summary = obj(report.summary);
    var mean = num(summary.mean_score);
    var audited = num(summary.audited);
    var errored = num(summary.errored);
    var silverPlus = rows.filter(function (r) { return r.rap === "silver" || r.rap === "gold"; }).length;
    var attention = rows.filter(function (r) { return r.attention; }).length;
    var items = [
      { key: "repos", label: "Repositories", value: String(num(summary.repos) === null ? rows.length : num(summary.repos)) },
      { key: "audited", label: "Audited", value: audited === null ? "\u2014" : String(audited) },
      { key: "errored", label: "Could not be audited", value: errored === null ? "\u2014" : String(errored), alert: errored > 0 },
      { key: "mean-score", label: "Mean score (0\u2013100)", value: fmtScore(mean) },
      { key: "attention", label: "Need attention first", value: String(attention), alert: attention > 0 },
      { key: "rap-silver-plus", label: "RAP silver or gold", value: String(silverPlus) }
    ];
    var trend = obj(report.compare);
    if (report.compare) {
      var since = obj(trend.since);
      var change = obj(trend.estate);
      var oldRepos = num(since.repos);
      var oldMean = num(since.mean_score);
      items[0].delta = oldRepos === null ? null : signed(num(summary.repos) - oldRepos, 0);
      items[3].delta = oldMean === null || mean === null ? null : signed(mean - oldMean, 1);
      items.push({
        key: "changed", label: "Changed since " + (str(since.generated_at).slice(0, 10) || str(since.file)),
        value: plural(num(change.better) || 0, "better", "better") + " \u00b7 " + plural(num(change.worse) || 0, "worse", "worse"),
        delta: plural(num(change.new_findings) || 0, "new finding") + ", " + (num(change.fixed_findings) || 0) + " fixed"
      });
    }
    var list = document.getElementById("headlines");
    items.forEach(function (item) {
      list.appendChild(el("div", { className: "headline" + (item.alert ? " headline--alert" : ""), "data-headline": item.key }, [
        el("dt", { text: item.label }),
        el("dd", null, [
          item.value,
          item.delta ? el("span", { className: "headline__delta", "data-delta": item.key, text: " " + item.delta }) : null
        ])
      ]));
    });
  }

  // A change as text that does not rely on colour: an arrow, a sign and the number.
  function signed(value, digits) {
    if (value === null || !isFinite(value)) { return null; }
    var rounded = Math.round(value * Math.pow(10, digits)) / Math.pow(10, digits);
    if (rounded > 0) { return "\u25b2 +" + rounded.toFixed(digits); }
    if (rounded < 0) { return "\u25bc " + rounded.toFixed(digits); }
    return "\u00b10";
  }

  // Each row's change since the earlier report (`--compare`), by repository name.
  function applyTrends(report, rows) {
    if (!report.compare) { return false; }
    var trend = obj(report.compare);
    var changes = obj(trend.repos);
    var added = arr(trend.added).map(str);
    rows.forEach(function (r) {
      var c = changes[r.name];
      if (c) {
        c = obj(c);
        r.change = { delta: num(c.score_delta), fresh: num(c.new) || 0, fixed: num(c.fixed) || 0, added: false };
      } else {
        r.change = { delta: null, fresh: 0, fixed: 0, added: added.indexOf(r.name) >= 0 };
      }
    });
    return true;
  }

  function changeText(change) {
    if (!change) { return "\u2014"; }
    if (change.added) { return "new repository"; }
    var parts = [];
    var delta = signed(change.delta, 1);
    parts.push(delta === null ? "not scored" : delta);
    if (change.fresh) { parts.push(plural(change.fresh, "new finding")); }
    if (change.fixed) { parts.push(change.fixed + " fixed"); }
    return parts.join(" \u00b7 ");
  }

  // ---- charts: horizontal SVG bars, each labelled with its value in text -----------------------

  function barChart(id, title, bars, note) {
    var width = 320, barWidth = 260, rowHeight = 40;
    var max = Math.max.apply(null, bars.map(function (b) { return b.value; }).concat([1]));
    var height = bars.length * rowHeight + 4;
    var total = bars.reduce(function (sum, b) { return sum + b.value; }, 0);
    var headingId = "chart-" + id + "-title";
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, width: String(width), height: String(height), role: "img", "aria-labelledby": headingId + " chart-" + id + "-desc" });
    chart.appendChild(svg("desc", { id: "chart-" + id + "-desc", text: bars.map(function (b) { return b.label + ": " + b.value; }).join("; ") }));
    bars.forEach(function (bar, i) {
      var y = i * rowHeight + 2;
      var length = bar.value === 0 ? 0 : Math.max(3, Math.round(barWidth * bar.value / max));
      var group = svg("g", { "data-bar": bar.key || bar.label, "data-value": String(bar.value) });
      group.appendChild(svg("text", { x: "0", y: String(y + 13), "class": "bar-label", text: bar.label }));
      group.appendChild(svg("rect", { x: "0", y: String(y + 18), width: String(barWidth), height: "16", "class": "track" }));
      if (length > 0) { group.appendChild(svg("rect", { x: "0", y: String(y + 18), width: String(length), height: "16", "class": "bar" })); }
      group.appendChild(svg("text", { x: String(barWidth + 8), y: String(y + 31), "class": "bar-value", text: String(bar.value) }));
      chart.appendChild(group);
    });
    return el("div", { className: "card chart", id: "chart-" + id, "data-total": String(total) }, [
      el("h3", { id: headingId, text: title }),
      chart,
      note ? el("p", { className: "chart-note", text: note }) : null
    ]);
  }

  function scoreBands(rows) {
    var bands = [];
    var lo;
    for (lo = 90; lo >= 0; lo -= 10) {
      bands.push({ key: "band-" + lo, label: lo === 90 ? "90\u2013100" : lo + "\u2013" + (lo + 9), value: 0, lo: lo });
    }
    var unscored = 0;
    rows.forEach(function (r) {
      if (r.score === null) { unscored += 1; return; }
      var band = Math.min(9, Math.floor(r.score / 10));
      bands[9 - band].value += 1;
    });
    if (unscored > 0) { bands.push({ key: "unscored", label: "Not scored", value: unscored }); }
    return bands;
  }

  function maintenancePicture(report, rows) {
    var byRule = {};
    rows.forEach(function (r) {
      r.findings.forEach(function (f) {
        if (ruleCategory(f) !== "maintenance") { return; }
        var rule = str(f.rule);
        byRule[rule] = byRule[rule] || { pass: 0, other: 0 };
        if (f.outcome === "pass") { byRule[rule].pass += 1; } else if (f.outcome !== "not-applicable") { byRule[rule].other += 1; }
      });
    });
    var charts = [];
    var rules = Object.keys(byRule).sort();
    if (rules.length > 0) {
      charts.push(barChart("maintenance-rules", "Maintenance rules passed", rules.map(function (rule) {
        return { key: rule, label: rule.replace(/^maintenance\//, ""), value: byRule[rule].pass };
      }), "Repositories passing each maintenance/* rule, of " + plural(rows.length, "repository", "repositories") + "."));
    }
    var now = Date.parse(str(report.generated_at));
    if (isNaN(now)) { now = Date.now(); }
    var buckets = [
      { key: "push-3m", label: "Under 3 months", value: 0, days: 91 },
      { key: "push-12m", label: "3 to 12 months", value: 0, days: 365 },
      { key: "push-24m", label: "1 to 2 years", value: 0, days: 730 },
      { key: "push-old", label: "Over 2 years", value: 0, days: Infinity }
    ];
    var dated = 0, archived = 0;
    rows.forEach(function (r) {
      var meta = obj(r.repo.metadata);
      if (meta.archived === true) { archived += 1; }
      var pushed = Date.parse(str(meta.pushed_at));
      if (isNaN(pushed)) { return; }
      dated += 1;
      var days = (now - pushed) / 86400000;
      for (var i = 0; i < buckets.length; i += 1) {
        if (days < buckets[i].days) { buckets[i].value += 1; break; }
      }
    });
    if (dated > 0) {
      charts.push(barChart("last-push", "Last push", buckets, plural(dated, "repository", "repositories") + " with a push date; " + archived + " archived."));
    }
    return charts;
  }

  function renderCharts(report, rows) {
    var holder = document.getElementById("charts");
    holder.appendChild(barChart("scores", "Score distribution", scoreBands(rows), "Overall score, in bands of ten."));
    holder.appendChild(barChart("licences", "Licence mix", LICENCE_MIX.map(function (m) {
      return { key: m.key, label: m.text, value: rows.filter(function (r) { return r.licence === m.key; }).length };
    }), "From the licences found in files, READMEs and package metadata."));
    holder.appendChild(barChart("rap", "RAP level", RAP_LEVELS.map(function (level) {
      return { key: level, label: RAP_NAMES[level], value: rows.filter(function (r) { return r.rap === level; }).length };
    }), "The level each repository reaches, whatever it claims."));
    maintenancePicture(report, rows).forEach(function (chart) { holder.appendChild(chart); });
  }

  // ---- needs attention first ----------------------------------------------------------------

  function attentionRank(r) {
    var secrets = r.urgent.filter(function (f) { return ruleCategory(f) === "secrets"; }).length;
    var errors = r.urgent.filter(function (f) { return f.severity === "error"; }).length;
    return [errors, secrets, r.urgent.length, r.errored ? 1 : 0];
  }

  function renderAttention(rows, openRepo, showAllAttention) {
    var holder = document.getElementById("attention");
    var list = rows.filter(function (r) { return r.attention; });
    if (list.length === 0) {
      holder.appendChild(el("p", { className: "empty", text: "No repository fails a personal-data or secrets rule." }));
      return;
    }
    list.sort(function (a, b) {
      // The report's own order (report::estate) when it gives one; errored repositories last.
      if (a.urgentOrder !== null || b.urgentOrder !== null) {
        if (a.urgentOrder === null) { return 1; }
        if (b.urgentOrder === null) { return -1; }
        return a.urgentOrder - b.urgentOrder;
      }
      var ra = attentionRank(a), rb = attentionRank(b);
      for (var i = 0; i < ra.length; i += 1) { if (ra[i] !== rb[i]) { return rb[i] - ra[i]; } }
      return collator.compare(a.name, b.name);
    });
    var ul = el("ul", { className: "attention-list" });
    list.slice(0, ATTENTION_SHOWN).forEach(function (r) {
      var reasons = [];
      if (r.errored) { reasons.push(el("span", { text: "could not be audited: " + str(r.repo.error) })); }
      r.urgent.slice().sort(compareFindings).forEach(function (f) {
        if (reasons.length) { reasons.push(", "); }
        reasons.push(el("code", { text: str(f.rule) }));
        reasons.push(" (" + str(f.severity) + ")");
      });
      var open = el("button", { type: "button", className: "linklike attention-item__open" }, [
        "Show findings", el("span", { className: "visually-hidden", text: " for " + r.name })
      ]);
      open.addEventListener("click", function () { openRepo(r); });
      ul.appendChild(el("li", { className: "attention-item", "data-repo": r.name }, [
        el("span", { className: "attention-item__name", text: r.name }),
        el("span", { className: "attention-item__reasons" }, ["Failed: "].concat(reasons)),
        open
      ]));
    });
    holder.appendChild(ul);
    if (list.length > ATTENTION_SHOWN) {
      var more = el("button", { type: "button", className: "button button--secondary", text: "List all " + list.length + " in the table" });
      more.addEventListener("click", showAllAttention);
      holder.appendChild(el("p", null, [(list.length - ATTENTION_SHOWN) + " more not shown here. ", more]));
    }
  }

  // ---- exemplars ----------------------------------------------------------------------------

  function categoryIds(rows) {
    var seen = {};
    rows.forEach(function (r) { Object.keys(r.categories).forEach(function (id) { seen[id] = true; }); });
    var known = CATEGORY_ORDER.filter(function (id) { return seen[id]; });
    var extra = Object.keys(seen).filter(function (id) { return CATEGORY_ORDER.indexOf(id) < 0; }).sort();
    return known.concat(extra);
  }

  // Highest first; ties go to the better overall score, then to the name.
  function best(rows, scoreOf) {
    return rows.filter(function (r) { return scoreOf(r) !== null; }).sort(function (a, b) {
      return (scoreOf(b) - scoreOf(a)) || ((b.score || 0) - (a.score || 0)) || collator.compare(a.name, b.name);
    });
  }

  // The exemplars as report::estate defines them: repositories with no failed error-severity
  // rule, the best overall, and those tied at the top of each category. Read from the report's
  // `estate` object when it has one; otherwise worked out here the same way.
  function exemplars(report, rows) {
    var estate = obj(report.estate);
    var given = obj(estate.exemplars);
    function row(index) { return typeof index === "number" ? rows[index] || null : null; }
    if (Array.isArray(given.overall)) {
      return {
        overall: given.overall.map(row).filter(Boolean),
        categories: arr(given.categories).map(function (c) {
          var cat = obj(c);
          return { id: str(cat.category), rows: arr(cat.repos).map(row).filter(Boolean), score: num(cat.score) };
        }).filter(function (c) { return c.id && c.rows.length && c.score !== null; })
      };
    }
    var eligible = rows.filter(function (r) { return r.failedErrors === 0 && !r.errored; });
    return {
      overall: best(eligible, function (r) { return r.score; }).slice(0, EXEMPLARS_OVERALL),
      categories: categoryIds(rows).map(function (id) {
        var ranked = best(eligible, function (r) { return r.categories[id] === undefined ? null : r.categories[id]; });
        var top = ranked.length ? ranked[0].categories[id] : null;
        return {
          id: id,
          rows: ranked.filter(function (r) { return r.categories[id] === top; }).slice(0, EXEMPLARS_PER_CATEGORY),
          score: top
        };
      }).filter(function (c) { return c.score !== null && c.score > 0; })
    };
  }

  function renderExemplars(report, rows, openRepo) {
    var holder = document.getElementById("exemplars");
    var chosen = exemplars(report, rows);
    if (chosen.overall.length === 0) {
      holder.appendChild(el("p", { className: "empty", text: "None yet: an exemplar is a repository with no failed error-severity rule." }));
      return;
    }
    function link(r) {
      var button = el("button", { type: "button", className: "linklike", text: r.name });
      button.addEventListener("click", function () { openRepo(r); });
      return button;
    }
    function entry(label, list, value) {
      var names = [];
      list.forEach(function (r, i) {
        if (i > 0) { names.push(", "); }
        names.push(link(r));
      });
      return el("li", { "data-repo": list.map(function (r) { return r.name; }).join("\n") }, [
        el("span", null, [label ? el("span", { className: "exemplar-cat", text: label + ": " }) : null].concat(names)),
        el("span", { className: "mono", text: fmtScore(value) })
      ]);
    }
    var top = el("ol", { className: "exemplar-list", id: "exemplars-overall" });
    chosen.overall.forEach(function (r) { top.appendChild(entry(null, [r], r.score)); });
    var perCategory = el("ul", { className: "exemplar-list", id: "exemplars-category" });
    chosen.categories.forEach(function (c) { perCategory.appendChild(entry(categoryName(c.id), c.rows, c.score)); });
    holder.appendChild(el("div", { className: "exemplar-grid" }, [
      el("div", { className: "card" }, [el("h3", { text: "Best overall" }), top]),
      el("div", { className: "card" }, [el("h3", { text: "Best in each category" }), perCategory])
    ]));
  }

  // The report's "needs attention first" (report::estate), when it carries one: which failed
  // rules put each repository there, and in what order.
  function applyEstate(report, rows) {
    var estate = obj(report.estate);
    if (!Array.isArray(estate.attention)) { return; }
    rows.forEach(function (r) { r.urgent = []; r.attention = r.errored; r.urgentOrder = null; });
    estate.attention.forEach(function (item, order) {
      var entry = obj(item);
      var r = typeof entry.repo === "number" ? rows[entry.repo] : null;
      if (!r) { return; }
      var rules = arr(entry.rules).map(function (x) { return str(obj(x).rule); });
      r.urgent = r.findings.filter(function (f) { return f.outcome === "fail" && rules.indexOf(str(f.rule)) >= 0; });
      r.attention = true;
      r.urgentOrder = order;
    });
  }

  // ---- drill-down ---------------------------------------------------------------------------

  function compareFindings(a, b) {
    var oa = OUTCOMES[a.outcome] ? OUTCOMES[a.outcome].order : 9;
    var ob = OUTCOMES[b.outcome] ? OUTCOMES[b.outcome].order : 9;
    var sa = SEVERITY_ORDER[a.severity] === undefined ? 9 : SEVERITY_ORDER[a.severity];
    var sb = SEVERITY_ORDER[b.severity] === undefined ? 9 : SEVERITY_ORDER[b.severity];
    return (oa - ob) || (sa - sb) || ((num(b.weight) || 0) - (num(a.weight) || 0)) || str(a.rule).localeCompare(str(b.rule));
  }

  // The matching [[allow]] entry: why, until when, and where it is written; or that it expired.
  function allowNote(f) {
    var by = obj(f.allowed_by);
    var reason = str(by.reason) || str(f.waiver);
    if (!reason) return null;
    var where = str(by.source) ? "; " + str(by.source) : "";
    if (by.expired === true) {
      return el("p", { className: "finding__allow", text: "Allowed until " + str(by.expires) + " because: " + reason + " (expired" + where + ")" });
    }
    var until = str(by.expires) ? " (until " + str(by.expires) + where + ")" : (where ? " (" + where.slice(2) + ")" : "");
    return el("p", { className: "finding__allow", text: "Waived because: " + reason + until });
  }

  function evidenceItem(evidence) {
    var e = obj(evidence);
    var where = str(e.path);
    if (where && num(e.line) !== null) { where += ":" + num(e.line); }
    var parts = [];
    if (where) { parts.push(el("code", { className: "location", text: where })); }
    if (str(e.excerpt)) {
      if (parts.length) { parts.push(" "); }
      parts.push(el("code", { className: "excerpt", text: str(e.excerpt) }));
    }
    if (str(e.commit)) { parts.push(" (commit " + str(e.commit).slice(0, 12) + ")"); }
    return parts.length ? el("li", null, parts) : null;
  }

  function findingView(f) {
    var outcome = OUTCOMES[f.outcome] ? f.outcome : "unknown";
    var head = el("div", { className: "finding__head" }, [
      outcomeBadge(f.outcome),
      el("code", { className: "finding__rule", text: str(f.rule) }),
      el("span", { className: "severity severity--" + str(f.severity), text: "Severity: " + (str(f.severity) || "unknown") }),
      str(f.title) ? el("span", { text: str(f.title) }) : null
    ]);
    var evidence = arr(f.evidence).map(evidenceItem).filter(Boolean);
    var link = safeUrl(f.url);
    return el("li", { className: "finding finding--" + outcome, "data-rule": str(f.rule), "data-outcome": str(f.outcome) }, [
      head,
      str(f.message) ? el("p", { className: "finding__message", text: str(f.message) }) : null,
      str(f.help) ? el("p", { className: "finding__fix", text: str(f.help) }) : null,
      allowNote(f),
      evidence.length ? el("ul", { className: "evidence", "aria-label": "Locations" }, evidence) : null,
      link ? el("p", null, [el("a", { href: link, rel: "noopener noreferrer", text: "Guidance for " + str(f.rule) })]) : null
    ]);
  }

  function detailView(r) {
    var repo = r.repo;
    var source = obj(repo.source);
    var rap = obj(repo.rap);
    var meta = el("dl", { className: "detail-meta" });
    function fact(label, value) {
      if (value === "" || value === null || value === undefined) { return; }
      meta.appendChild(el("dt", { text: label }));
      meta.appendChild(el("dd", { text: String(value) }));
    }
    fact("Source", [str(source.kind), str(source.location)].filter(Boolean).join(": "));
    fact("Ref", str(source.ref));
    fact("Commit", str(source.commit));
    fact("Score", fmtScore(r.score) + (r.grade ? " (grade " + r.grade + ")" : ""));
    fact("RAP level", RAP_NAMES[r.rap] + (str(rap.declared) ? " (claims " + (RAP_NAMES[str(rap.declared)] || str(rap.declared)) + ")" : ""));
    fact("Licences", licenceIds(repo, "code").concat(licenceIds(repo, "docs")).join(", ") || "none found");
    fact("Last push", str(obj(repo.metadata).pushed_at));
    var parts = [el("h3", { text: "Findings for " + r.name }), meta];
    if (r.errored) { parts.push(el("p", { className: "notice notice--error", text: "Could not be audited: " + str(repo.error) })); }

    var next = obj(rap.next);
    if (arr(next.steps).length) {
      parts.push(el("p", { text: "To reach RAP " + (RAP_NAMES[str(next.level)] || str(next.level)) + ":" }));
      parts.push(el("ol", null, arr(next.steps).map(function (s) { return el("li", { text: str(s) }); })));
    }

    var cats = arr(repo.categories).map(obj);
    if (cats.length) {
      var tbody = el("tbody");
      cats.forEach(function (c) {
        tbody.appendChild(el("tr", null, [
          el("th", { scope: "row", text: categoryName(str(c.id)) }),
          el("td", { text: fmtScore(num(c.score)) }),
          el("td", { text: num(c.passed) === null ? "" : String(num(c.passed)) }),
          el("td", { text: num(c.failed) === null ? "" : String(num(c.failed)) }),
          el("td", { text: num(c.needs_review) === null ? "" : String(num(c.needs_review)) })
        ]));
      });
      parts.push(el("table", { className: "cat-table" }, [
        el("caption", { className: "visually-hidden", text: "Category scores for " + r.name }),
        el("thead", null, [el("tr", null, ["Category", "Score", "Passed", "Failed", "Needs review"].map(function (h) { return el("th", { scope: "col", text: h }); }))]),
        tbody
      ]));
    }

    var groups = {};
    r.findings.slice().sort(compareFindings).forEach(function (f) {
      var key = OUTCOMES[f.outcome] ? f.outcome : "other";
      (groups[key] = groups[key] || []).push(f);
    });
    Object.keys(OUTCOMES).concat(["other"]).forEach(function (key) {
      var list = groups[key];
      if (!list) { return; }
      var label = OUTCOMES[key] ? OUTCOMES[key].text : "Other";
      parts.push(el("div", { className: "finding-group" }, [
        el("h4", { text: label + " (" + list.length + ")" }),
        el("ul", { className: "finding-list" }, list.map(findingView))
      ]));
    });
    if (r.findings.length === 0) { parts.push(el("p", { className: "empty", text: "No findings." })); }
    return el("div", { className: "detail" }, parts);
  }

  // ---- the table ----------------------------------------------------------------------------

  var COLUMNS = [
    { key: "name", label: "Repository", value: function (r) { return r.name.toLowerCase(); } },
    { key: "score", label: "Score", numeric: true, value: function (r) { return r.score; } },
    { key: "grade", label: "Grade", value: function (r) { return r.grade || null; } },
    { key: "rap", label: "RAP level", value: function (r) { return RAP_LEVELS.length - RAP_LEVELS.indexOf(r.rap); } },
    { key: "licence", label: "Licence", optional: true, value: function (r) { return licenceLabel(r.licence); } },
    { key: "failed", label: "Failed", numeric: true, value: function (r) { return r.failed; } },
    { key: "review", label: "Needs review", numeric: true, optional: true, value: function (r) { return r.review; } }
  ];
  var CHANGE_COLUMN = { key: "change", label: "Changed since", numeric: true, value: function (r) { return r.change ? r.change.delta : null; } };

  function licenceLabel(key) {
    for (var i = 0; i < LICENCE_MIX.length; i += 1) { if (LICENCE_MIX[i].key === key) { return LICENCE_MIX[i].text; } }
    return key;
  }

  function Table(rows) {
    this.rows = rows;
    this.body = document.getElementById("repo-table-body");
    this.head = document.getElementById("repo-table-head");
    this.status = document.getElementById("table-status");
    this.sortKey = "name";
    this.sortDir = "ascending";
    this.details = {};
    this.rowNodes = [];
    this.buildHead();
    this.buildRows();
    this.sort();
  }

  Table.prototype.buildHead = function () {
    var table = this;
    this.sortButtons = {};
    COLUMNS.forEach(function (col) {
      var icon = el("span", { className: "sort-icon", "aria-hidden": "true" });
      var button = el("button", { type: "button", className: "sort-button", "data-sort": col.key }, [col.label, icon]);
      button.addEventListener("click", function () {
        if (table.sortKey === col.key) {
          table.sortDir = table.sortDir === "ascending" ? "descending" : "ascending";
        } else {
          table.sortKey = col.key;
          table.sortDir = "ascending";
        }
        table.sort();
      });
      table.sortButtons[col.key] = { th: null, icon: icon };
      var th = el("th", { scope: "col", className: (col.numeric ? "num" : "") + (col.optional ? " col-optional" : ""), "data-column": col.key }, [button]);
      table.sortButtons[col.key].th = th;
      table.head.appendChild(th);
    });
    this.head.appendChild(el("th", { scope: "col", text: "Findings" }));
  };

  Table.prototype.buildRows = function () {
    var table = this;
    var fragment = document.createDocumentFragment();
    this.rows.forEach(function (r) {
      var toggle = el("button", {
        type: "button", className: "button button--secondary detail-toggle",
        "aria-expanded": "false", "aria-controls": "detail-" + r.index
      }, ["Show ", el("span", { className: "visually-hidden", text: "findings for " + r.name + " " }), "(" + r.findings.length + ")"]);
      toggle.addEventListener("click", function () { table.toggle(r); });
      var source = obj(r.repo.source);
      var tr = el("tr", { className: "repo-row", id: "repo-" + r.index, "data-repo": r.name, "data-index": String(r.index) }, [
        el("th", { scope: "row" }, [
          el("span", { className: "repo-name", text: r.name }),
          str(source.location) && str(source.location) !== r.name ? el("span", { className: "repo-source", text: str(source.location) }) : null
        ]),
        el("td", { className: "num", "data-score": r.score === null ? "" : String(r.score), text: fmtScore(r.score) }),
        el("td", null, [r.grade ? el("span", { className: "grade", text: r.grade }) : "\u2014"]),
        el("td", { text: RAP_NAMES[r.rap] }),
        el("td", { className: "col-optional", text: licenceLabel(r.licence) }),
        el("td", { className: "num", text: String(r.failed) + (r.failedErrors ? " (" + r.failedErrors + " error" + (r.failedErrors === 1 ? "" : "s") + ")" : "") }),
        el("td", { className: "num col-optional", text: String(r.review) }),
        COLUMNS.indexOf(CHANGE_COLUMN) >= 0 ? el("td", { className: "num", "data-change": r.change && r.change.delta !== null ? String(r.change.delta) : "", text: changeText(r.change) }) : null,
        el("td", null, [toggle])
      ]);
      r.node = tr;
      r.toggle = toggle;
      fragment.appendChild(tr);
    });
    this.body.appendChild(fragment);
  };

  // Rows with no value (an unscored repository) sort last in both directions.
  Table.prototype.sort = function () {
    var col = COLUMNS.filter(function (c) { return c.key === this.sortKey; }, this)[0];
    var dir = this.sortDir === "ascending" ? 1 : -1;
    var keyed = this.rows.map(function (r) { return { r: r, v: col.value(r) }; });
    keyed.sort(function (a, b) {
      var va = a.v, vb = b.v;
      if (va === null && vb === null) { return a.r.index - b.r.index; }
      if (va === null) { return 1; }
      if (vb === null) { return -1; }
      var c = typeof va === "number" ? va - vb : collator.compare(String(va), String(vb));
      return (c * dir) || collator.compare(a.r.name, b.r.name) || (a.r.index - b.r.index);
    });
    var ordered = keyed.map(function (k) { return k.r; });
    var fragment = document.createDocumentFragment();
    var details = this.details;
    ordered.forEach(function (r) {
      fragment.appendChild(r.node);
      if (details[r.index]) { fragment.appendChild(details[r.index]); }
    });
    this.body.appendChild(fragment);
    var table = this;
    COLUMNS.forEach(function (c) {
      var parts = table.sortButtons[c.key];
      if (c.key === table.sortKey) {
        parts.th.setAttribute("aria-sort", table.sortDir);
        parts.icon.textContent = table.sortDir === "ascending" ? "\u25b2" : "\u25bc";
      } else {
        parts.th.removeAttribute("aria-sort");
        parts.icon.textContent = "\u21c5";
      }
    });
  };

  Table.prototype.toggle = function (r, forceOpen) {
    var open = this.details[r.index];
    if (open && forceOpen) { return; }
    if (open) {
      open.parentNode.removeChild(open);
      delete this.details[r.index];
      r.toggle.setAttribute("aria-expanded", "false");
      return;
    }
    var row = el("tr", { className: "detail-row", id: "detail-" + r.index }, [
      el("td", { colspan: String(COLUMNS.length + 1) }, [detailView(r)])
    ]);
    row.hidden = r.node.hidden;
    r.node.parentNode.insertBefore(row, r.node.nextSibling);
    this.details[r.index] = row;
    r.toggle.setAttribute("aria-expanded", "true");
  };

  Table.prototype.filter = function (test) {
    var shown = 0;
    var details = this.details;
    this.rows.forEach(function (r) {
      var visible = test(r);
      r.node.hidden = !visible;
      if (details[r.index]) { details[r.index].hidden = !visible; }
      if (visible) { shown += 1; }
    });
    this.status.textContent = shown === this.rows.length
      ? "Showing all " + plural(this.rows.length, "repository", "repositories") + "."
      : "Showing " + shown + " of " + plural(this.rows.length, "repository", "repositories") + ".";
  };

  // ---- filters ------------------------------------------------------------------------------

  function setupFilters(table, rows) {
    var text = document.getElementById("filter-text");
    var grade = document.getElementById("filter-grade");
    var rap = document.getElementById("filter-rap");
    var licence = document.getElementById("filter-licence");
    var attention = document.getElementById("filter-attention");
    var form = document.getElementById("filters");
    var grades = GRADES.slice();
    rows.forEach(function (r) { if (r.grade && grades.indexOf(r.grade) < 0) { grades.push(r.grade); } });
    grades.forEach(function (g) { grade.appendChild(el("option", { value: g, text: g })); });
    RAP_LEVELS.forEach(function (l) { rap.appendChild(el("option", { value: l, text: RAP_NAMES[l] })); });
    LICENCE_MIX.forEach(function (m) { licence.appendChild(el("option", { value: m.key, text: m.text })); });

    function apply() {
      var needle = text.value.trim().toLowerCase();
      table.filter(function (r) {
        if (needle && r.name.toLowerCase().indexOf(needle) < 0 && r.failedRules.indexOf(needle) < 0) { return false; }
        if (grade.value && r.grade !== grade.value) { return false; }
        if (rap.value && r.rap !== rap.value) { return false; }
        if (licence.value && r.licence !== licence.value) { return false; }
        if (attention.checked && !r.attention) { return false; }
        return true;
      });
    }
    [text, grade, rap, licence, attention].forEach(function (input) {
      input.addEventListener("input", apply);
      input.addEventListener("change", apply);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    apply();
    return function clear() { form.reset(); attention.checked = false; apply(); };
  }

  // ---- start --------------------------------------------------------------------------------

  function showError(message) {
    var box = document.getElementById("load-error");
    box.textContent = "This report could not be drawn: " + message;
    box.hidden = false;
  }

  function start() {
    var began = window.performance ? window.performance.now() : 0;
    var report;
    try {
      report = readReport();
    } catch (err) {
      showError(err && err.message ? err.message : String(err));
      return;
    }
    var rules = obj(report.rules);
    var rows = arr(report.repos).map(function (repo, i) { return summarise(obj(repo), i, rules); });
    applyEstate(report, rows);
    renderMeta(report);
    renderHeadlines(report, rows);
    if (applyTrends(report, rows)) { COLUMNS.push(CHANGE_COLUMN); }
    var table = new Table(rows);
    var clearFilters = setupFilters(table, rows);
    function openRepo(r) {
      if (r.node.hidden) { clearFilters(); }
      table.toggle(r, true);
      r.toggle.focus();
      r.node.scrollIntoView({ block: "start" });
    }
    renderAttention(rows, openRepo, function () {
      clearFilters();
      var only = document.getElementById("filter-attention");
      only.checked = true;
      only.dispatchEvent(new Event("change"));
      document.getElementById("repositories").focus();
    });
    renderCharts(report, rows);
    renderExemplars(report, rows, openRepo);
    if (rows.length === 0) {
      document.getElementById("table-status").textContent = "This report has no repositories.";
    }
    document.documentElement.setAttribute("data-openly-draw-ms", String(Math.round((window.performance ? window.performance.now() : 0) - began)));
    document.documentElement.setAttribute("data-openly-ready", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
