/** The report's one stylesheet, inlined: the page opens from a file with nothing else. */
export const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 16px 48px;color:#1d2329}
h1{font-size:22px}h2{font-size:18px;margin:0 0 4px}h3{font-size:15px;margin:8px 0}
table{border-collapse:collapse}th,td{text-align:left;padding:2px 8px;vertical-align:top}
table.index tr:nth-child(even),table.summary tr:nth-child(even){background:#f4f6f8}
td.num{text-align:right}
.badge{display:inline-block;border-radius:3px;padding:0 6px;color:#fff;font-size:12px;font-weight:600;text-transform:uppercase}
.badge.pass{background:#2e7d32}.badge.fail{background:#c62828}.badge.error{background:#6a1b9a}.badge.skipped{background:#757575}
.count.pass{color:#2e7d32}.count.fail{color:#c62828}.count.error{color:#6a1b9a}.count.skipped{color:#757575}
section.scenario{border-top:2px solid #cfd8dc;margin-top:28px;padding-top:12px}
section.failures{background:#fff5f5;border:1px solid #f3c1c1;padding:8px 12px;margin:12px 0}
.near-miss{margin:8px 0 12px;padding-left:8px;border-left:3px solid #c62828}
.near-miss pre,.near-miss code{background:#fff;font-size:12px}
.reason{color:#8e0000}.note{color:#757575}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}
svg{display:block;background:#fff;border:1px solid #e0e0e0}
svg text{font:10px system-ui,sans-serif;fill:#37474f}
svg .lane{font-weight:600}svg .row-label,svg .tick.y{text-anchor:end}svg .tick{text-anchor:middle;fill:#607d8b}
svg .axis{stroke:#90a4ae}svg .grid{stroke:#eceff1}
svg .cut{fill:#90a4ae;opacity:.18}svg .cut-bar{fill:#546e7a}
svg .step line{stroke:#1565c0}svg .step.error line{stroke:#6a1b9a}
svg .check circle{fill:#37474f}svg .check-line{stroke:#37474f;stroke-dasharray:3 3;opacity:.5}
svg .expectation.pass rect,svg .expectation.pass path{fill:#43a047}
svg .expectation.fail rect,svg .expectation.fail path{fill:#e53935}
svg .expectation.open rect{opacity:.35}
svg .frames path{stroke:#455a64;stroke-width:1}svg .state.s0 rect{fill:#e3f2fd}svg .state.s1 rect{fill:#bbdefb}svg .state rect{stroke:#fff;stroke-width:.5}
.frame-lists details{margin:2px 0}.frame-lists table{font-size:12px}.frame-lists code{word-break:break-all}
svg .expectation circle.near{fill:#fff;stroke:#b71c1c;stroke-width:1.5}
svg g.expectation:target rect,svg g.expectation:target path{stroke:#000;stroke-width:2;opacity:1}
svg g.expectation:target text{font-weight:700;fill:#000}
svg .commanded{fill:none;stroke:#1565c0;stroke-width:1.5}svg .recorded{fill:none;stroke:#ef6c00;stroke-width:1.2}
svg circle.position{fill:#ef6c00;stroke:#fff;stroke-width:1}svg .legend.commanded{fill:#1565c0;stroke:none}svg .legend.recorded{fill:#ef6c00;stroke:none}
svg .pulses{fill:none;stroke:#2e7d32;stroke-width:1.2}svg circle.rate{fill:#2e7d32}svg circle.rate.lost{fill:#c62828}svg .legend.pulses{fill:#2e7d32;stroke:none}
svg .day{fill:#fafafa;stroke:#cfd8dc}
.activity.driving,.key.driving{fill:#c62828;background:#c62828}.activity.work,.key.work{fill:#1565c0;background:#1565c0}
.activity.availability,.key.availability{fill:#f9a825;background:#f9a825}.activity.break-rest,.key.break-rest{fill:#2e7d32;background:#2e7d32}
svg .activity.no-card{opacity:.45}
.key{color:#fff;font-size:11px;font-weight:400;padding:0 4px;border-radius:2px}
svg .span.event rect,svg .span.event path{fill:#ef6c00}svg .span.fault rect,svg .span.fault path{fill:#6a1b9a}
details.expectations table{font-size:13px}
section.traceability{border-top:2px solid #cfd8dc;margin-top:28px;padding-top:12px}table.trace{font-size:13px}table.trace a.badge{text-transform:none;text-decoration:none}tr.fail td{background:#fff5f5}
`;
