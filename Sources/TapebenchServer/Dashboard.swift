/// The dashboard at `/`: one self-contained page (inline CSS, script and SVG; it loads nothing from
/// anywhere, not even a font) that polls the JSON routes of the server that sent it, every `refresh`
/// seconds, so it follows paper mode as it trades. It shows the agents, the chosen agent's account, its
/// equity curve (drawn as SVG by the script), positions, latest orders and trades, and its graduation answer.
enum Dashboard {
    static func page(refreshSeconds: Int) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Tapebench · paper trading</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <header>
          <h1>Tapebench <span>paper trading</span></h1>
          <div id="run" class="muted"></div>
          <div id="status" class="muted" role="status">loading…</div>
        </header>
        <div id="banner" class="banner" hidden></div>
        <main>
          <nav><h2>Agents</h2><ul id="agents"></ul></nav>
          <section id="detail">
            <div class="titlebar"><h2 id="agent-title">—</h2><label id="variant-box" hidden>variant <select id="variant"></select></label></div>
            <div id="account" class="cards"></div>
            <h3>Equity</h3>
            <div id="chart" class="chart"></div>
            <h3>Graduation</h3>
            <div id="graduation"></div>
            <h3>Positions</h3>
            <div id="positions"></div>
            <h3>Orders <span id="orders-count" class="muted"></span></h3>
            <div id="orders"></div>
            <h3>Trades <span id="trades-count" class="muted"></span></h3>
            <div id="trades"></div>
          </section>
        </main>
        <script>
        const REFRESH_SECONDS = \(refreshSeconds);
        \(DashboardScript.text)
        </script>
        </body>
        </html>

        """
    }

    static let style = """
        :root { --fg: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #f7f8fa; --card: #fff; --up: #12805c; --down: #c0362c; --accent: #2f6fde; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        header { display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; padding: 14px 24px; background: var(--card); border-bottom: 1px solid var(--line); }
        h1 { font-size: 18px; margin: 0; } h1 span { color: var(--muted); font-weight: 400; }
        h2 { font-size: 16px; margin: 0 0 8px; } h3 { font-size: 14px; margin: 22px 0 8px; color: #344054; }
        .muted { color: var(--muted); } #status { margin-left: auto; }
        .banner { margin: 12px 24px 0; padding: 8px 12px; border-radius: 6px; background: #fdecea; color: var(--down); }
        main { display: grid; grid-template-columns: 240px 1fr; gap: 20px; padding: 16px 24px 40px; }
        nav ul { list-style: none; margin: 0; padding: 0; }
        nav li { padding: 8px 10px; border-radius: 6px; cursor: pointer; background: var(--card); border: 1px solid var(--line); margin-bottom: 6px; }
        nav li.selected { border-color: var(--accent); box-shadow: 0 0 0 1px var(--accent) inset; }
        nav li .id { font-weight: 600; } nav li .sub { font-size: 12px; color: var(--muted); }
        .titlebar { display: flex; align-items: center; gap: 16px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
        .card .label { font-size: 12px; color: var(--muted); } .card .value { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .up { color: var(--up); } .down { color: var(--down); }
        .chart { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
        .chart svg { display: block; width: 100%; height: 240px; }
        table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: 8px; font-variant-numeric: tabular-nums; }
        th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; font-size: 13px; }
        th { color: var(--muted); font-weight: 500; background: #fbfbfc; } td.num, th.num { text-align: right; }
        .empty { color: var(--muted); padding: 8px 0; }
        .verdict { font-weight: 600; } .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #eef2f6; }
        .badge.ok { background: #e3f4ec; color: var(--up); } .badge.no { background: #fdecea; color: var(--down); }
        """
}
