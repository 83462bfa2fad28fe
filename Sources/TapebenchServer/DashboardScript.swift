/// The dashboard's script (no library): it fetches the JSON routes of its own origin, builds the page with
/// DOM calls (`textContent`, never HTML from data), draws the equity curve as SVG, and polls again after
/// `REFRESH_SECONDS`. A failed poll shows a banner and the page keeps its last data.
enum DashboardScript {
    static let text = """
        const state = { agent: null, variant: null, agents: [], polls: 0 };
        const $ = (id) => document.getElementById(id);
        const api = (path) => fetch(path, { cache: "no-store" }).then(async (r) => {
          const body = await r.json().catch(() => ({}));
          if (!r.ok) throw new Error(body.message || (r.status + " " + r.statusText));
          return body;
        });
        function el(tag, attrs, ...children) {
          const node = document.createElement(tag);
          for (const [k, v] of Object.entries(attrs || {})) { if (k === "class") node.className = v; else node.setAttribute(k, v); }
          for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
          return node;
        }
        function money(v) {
          if (v == null) return "—";
          const sign = v < 0 ? "-" : "", a = Math.abs(v), whole = Math.floor(a), cents = Math.round((a - whole) * 100);
          const w = (cents === 100 ? whole + 1 : whole).toString().replace(/(?=(?:[0-9]{3})+$)(?!^)/g, ",");
          return sign + w + "." + String(cents === 100 ? 0 : cents).padStart(2, "0");
        }
        const pct = (v, digits = 2) => v == null ? "—" : (v * 100).toFixed(digits) + "%";
        const num = (v, digits = 2) => v == null ? "—" : Number(v).toFixed(digits);
        const signClass = (v) => v > 0 ? "up" : v < 0 ? "down" : "";
        function table(columns, rows) {
          if (!rows.length) return el("div", { class: "empty" }, "none");
          const head = el("tr", {}, ...columns.map((c) => el("th", { class: c.num ? "num" : "" }, c.label)));
          const body = rows.map((r) => el("tr", {}, ...columns.map((c) => {
            const v = c.value(r);
            return el("td", { class: (c.num ? "num " : "") + (c.sign ? signClass(c.raw ? c.raw(r) : v) : "") }, v);
          })));
          return el("table", {}, el("thead", {}, head), el("tbody", {}, ...body));
        }
        function query() { return state.variant ? "?variant=" + encodeURIComponent(state.variant) : ""; }
        function pageQuery(limit) { return (state.variant ? query() + "&" : "?") + "limit=" + limit; }

        function showAgents(data) {
          state.agents = data.agents;
          const run = data.run;
          const paper = data.paper ? ` · paper mode ${data.paper.state || ""}, last minute ${data.paper.minute || "none yet"}` : "";
          $("run").textContent = (run ? `${run.scenario_name} · ${run.fill_model} · ${run.replay_start || "…"} → ${run.replay_end || "…"} · ${run.bars_replayed} bars` : "") + paper;
          if (!state.agent && data.agents.length) state.agent = data.agents[0].id;
          const list = $("agents");
          list.replaceChildren(...data.agents.map((a) => {
            const acc = a.accounts[0];
            const item = el("li", { class: a.id === state.agent ? "selected" : "", "data-agent": a.id },
              el("div", { class: "id" }, a.id),
              el("div", { class: "sub" }, `${a.kind} · ${a.lifecycle_status}`),
              el("div", { class: "sub " + signClass(acc.total_pnl) }, `equity ${money(acc.equity)} (${acc.total_pnl >= 0 ? "+" : ""}${money(acc.total_pnl)})`));
            item.addEventListener("click", () => { state.agent = a.id; state.variant = null; refresh(); });
            return item;
          }));
          const agent = data.agents.find((a) => a.id === state.agent);
          const box = $("variant-box"), select = $("variant");
          box.hidden = !agent || agent.accounts.length < 2;
          if (agent) {
            if (!state.variant || !agent.accounts.some((x) => x.variant === state.variant)) state.variant = agent.accounts[0].variant;
            select.replaceChildren(...agent.accounts.map((x) => el("option", { value: x.variant }, x.variant)));
            select.value = state.variant;
          }
        }

        function showAccount(a, perf) {
          $("agent-title").textContent = `${a.agent_id} · ${a.variant} · ${a.status}`;
          const cards = [
            ["Equity", money(a.equity), ""], ["Cash", money(a.current_cash), ""], ["Buying power", money(a.buying_power), ""],
            ["Total P&L", money(a.total_pnl), signClass(a.total_pnl)], ["Return", perf.return_pct == null ? "—" : perf.return_pct.toFixed(2) + "%", signClass(a.total_pnl)],
            ["Realized", money(a.realized_pnl), signClass(a.realized_pnl)], ["Unrealized", money(a.unrealized_pnl), signClass(a.unrealized_pnl)],
            ["Win rate", pct(a.win_rate, 1), ""], ["Sharpe", num(a.sharpe_ratio), ""], ["Max drawdown", pct(a.max_drawdown), ""],
            ["Closing trades", String(perf.closing_trades), ""], ["Commissions", money(a.commissions), ""],
          ];
          $("account").replaceChildren(...cards.map(([label, value, cls]) =>
            el("div", { class: "card", "data-field": label }, el("div", { class: "label" }, label), el("div", { class: "value " + cls }, value))));
          drawChart(perf.equity_curve, a.initial_balance);
        }

        function drawChart(points, initial) {
          const box = $("chart");
          if (!points.length) { box.replaceChildren(el("div", { class: "empty" }, "no daily snapshot yet")); return; }
          const W = 900, H = 240, L = 70, R = 12, T = 12, B = 28;
          const values = points.map((p) => p.equity).concat([initial]);
          let lo = Math.min(...values), hi = Math.max(...values);
          if (hi === lo) { hi += 1; lo -= 1; }
          // Round ticks (1, 2 or 5 × 10^k, about four of them) and an axis that starts and ends on one.
          const raw = (hi - lo) / 4, power = Math.pow(10, Math.floor(Math.log10(raw)));
          const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
          lo = Math.floor(lo / step) * step;
          hi = Math.ceil(hi / step) * step;
          const x = (i) => L + (points.length === 1 ? (W - L - R) / 2 : i * (W - L - R) / (points.length - 1));
          const y = (v) => T + (hi - v) * (H - T - B) / (hi - lo);
          const ns = "http://www.w3.org/2000/svg";
          const svg = document.createElementNS(ns, "svg");
          svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
          svg.setAttribute("preserveAspectRatio", "none");
          const add = (tag, attrs, text) => { const n = document.createElementNS(ns, tag); for (const k in attrs) n.setAttribute(k, attrs[k]); if (text != null) n.textContent = text; svg.append(n); return n; };
          for (let k = 0; lo + k * step <= hi + step / 1e6; k++) {
            const v = lo + k * step;
            add("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#e4e7ec" });
            add("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 11, fill: "#667085" }, money(v).replace(/[.][0-9]+$/, ""));
          }
          add("line", { x1: L, x2: W - R, y1: y(initial), y2: y(initial), stroke: "#98a2b3", "stroke-dasharray": "4 4" });
          const line = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p.equity).toFixed(1)}`).join(" ");
          add("path", { d: `${line} L${x(points.length - 1).toFixed(1)},${H - B} L${x(0).toFixed(1)},${H - B} Z`, fill: "rgba(47,111,222,0.10)" });
          add("path", { d: line, fill: "none", stroke: "#2f6fde", "stroke-width": 2, id: "equity-line" });
          const first = points[0].time.slice(0, 10), last = points[points.length - 1].time.slice(0, 10);
          add("text", { x: L, y: H - 8, "font-size": 11, fill: "#667085" }, first);
          add("text", { x: W - R, y: H - 8, "font-size": 11, fill: "#667085", "text-anchor": "end" }, last);
          box.replaceChildren(svg);
        }

        function showGraduation(g) {
          const verdict = g.eligible ? (g.robust ? "eligible (robust)" : "eligible, not robust") : "not eligible";
          const criteria = table([
            { label: "criterion", value: (c) => c.name },
            { label: "met", value: (c) => c.met ? "✓" : "✗" },
            { label: "value", num: true, value: (c) => c.name === "iterations" || c.name === "signals" ? String(Math.round(c.value)) : c.name === "sharpe" ? num(c.value) : pct(c.value) },
            { label: "threshold", num: true, value: (c) => c.name === "iterations" || c.name === "signals" ? String(Math.round(c.threshold)) : c.name === "sharpe" ? num(c.threshold) : pct(c.threshold) },
          ], g.criteria);
          $("graduation").replaceChildren(
            el("p", {}, el("span", { class: "badge " + (g.eligible ? "ok" : "no") }, verdict), " ",
               el("span", { class: "verdict" }, `${g.current_status} → ${g.to}`), ": ", el("span", { id: "graduation-reason" }, g.reason)),
            ...g.warnings.map((w) => el("p", { class: "down" }, "Too good to be true? " + w)),
            criteria);
        }

        function showPositions(p) {
          $("positions").replaceChildren(table([
            { label: "ticker", value: (r) => r.ticker }, { label: "qty", num: true, value: (r) => r.quantity },
            { label: "avg entry", num: true, value: (r) => money(r.avg_entry_price) }, { label: "price", num: true, value: (r) => money(r.current_price) },
            { label: "value", num: true, value: (r) => money(r.market_value) },
            { label: "unrealized", num: true, sign: true, raw: (r) => r.unrealized_pnl, value: (r) => money(r.unrealized_pnl) },
            { label: "P&L %", num: true, sign: true, raw: (r) => r.unrealized_pnl_percent, value: (r) => num(r.unrealized_pnl_percent) + "%" },
            { label: "opened", value: (r) => r.opened_at },
          ], p.positions));
        }

        function showOrders(o) {
          $("orders-count").textContent = `latest ${o.orders.length} of ${o.total}`;
          $("orders").replaceChildren(table([
            { label: "id", value: (r) => r.id }, { label: "submitted", value: (r) => r.submitted_at }, { label: "ticker", value: (r) => r.ticker },
            { label: "side", value: (r) => r.side }, { label: "type", value: (r) => r.order_type }, { label: "qty", num: true, value: (r) => r.quantity },
            { label: "filled", num: true, value: (r) => r.filled_quantity }, { label: "status", value: (r) => r.status },
            { label: "purpose", value: (r) => r.purpose }, { label: "reason", value: (r) => r.reject_reason || "" },
          ], o.orders));
        }

        function showTrades(t) {
          $("trades-count").textContent = `latest ${t.trades.length} of ${t.total}`;
          $("trades").replaceChildren(table([
            { label: "executed", value: (r) => r.executed_at }, { label: "ticker", value: (r) => r.ticker }, { label: "side", value: (r) => r.side },
            { label: "qty", num: true, value: (r) => r.quantity }, { label: "price", num: true, value: (r) => money(r.price) },
            { label: "commission", num: true, value: (r) => money(r.commission) },
            { label: "realized P&L", num: true, sign: true, raw: (r) => r.realized_pnl, value: (r) => r.realized_pnl == null ? "" : money(r.realized_pnl) },
            { label: "rule", value: (r) => r.fill_rule },
          ], t.trades));
        }

        let timer = null;
        async function refresh() {
          clearTimeout(timer);
          try {
            showAgents(await api("/api/paper-trading/agents"));
            if (state.agent) {
              const base = "/api/paper-trading/agents/" + encodeURIComponent(state.agent);
              const [account, perf, positions, orders, trades, graduation] = await Promise.all([
                api(base + "/account" + query()), api(base + "/performance" + query()), api(base + "/positions" + query()),
                api(base + "/orders" + pageQuery(20)), api(base + "/trades" + pageQuery(20)),
                api("/api/agents/" + encodeURIComponent(state.agent) + "/graduation/eligibility"),
              ]);
              showAccount(account, perf); showPositions(positions); showOrders(orders); showTrades(trades); showGraduation(graduation);
            }
            $("banner").hidden = true;
            // How many polls succeeded, for a reader of the DOM (the tests: that the page keeps polling).
            document.body.dataset.polls = String(++state.polls);
            $("status").textContent = "updated " + new Date().toLocaleTimeString() + (REFRESH_SECONDS > 0 ? ` · every ${REFRESH_SECONDS} s` : "");
          } catch (error) {
            $("banner").hidden = false;
            $("banner").textContent = "Cannot reach the server: " + error.message + (REFRESH_SECONDS > 0 ? "; retrying" : "");
          }
          if (REFRESH_SECONDS > 0) timer = setTimeout(refresh, REFRESH_SECONDS * 1000);
        }
        $("variant").addEventListener("change", (e) => { state.variant = e.target.value; refresh(); });
        refresh();
        """
}
