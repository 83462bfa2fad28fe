/// The OpenAPI 3.1 document served at `/openapi.json`, written by hand beside the routes it describes
/// (`APIRoutes.table`; a test checks that both list the same routes, and CI runs schemathesis against a
/// running server with it).
enum OpenAPIDocument {
    static let text = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Tapebench paper trading API",
        "version": "1.0.0",
        "description": "The seed system's paper-trading and graduation routes over a Tapebench run database (a run's run.sqlite, or paper mode's database as it trades), served by `tapebench serve`. Money and prices are numbers in USD (the database's REAL columns); times are ISO 8601 UTC text; fractions (win_rate, max_drawdown, drawdown) are 0–1. An agent trading several fill-model variants has one account per variant: `?variant=` picks one, the run's first fill model by default. Every refusal is a 4xx with a JSON body {\"error\", \"message\"}."
      },
      "paths": {
        "/": {
          "get": {
            "summary": "The dashboard: one self-contained HTML page that polls the routes below",
            "operationId": "dashboard",
            "responses": { "200": { "description": "The page", "content": { "text/html": { "schema": { "type": "string" } } } } }
          }
        },
        "/openapi.json": {
          "get": {
            "summary": "This document",
            "operationId": "openapi",
            "responses": { "200": { "description": "OpenAPI 3.1", "content": { "application/json": { "schema": { "type": "object" } } } } }
          }
        },
        "/api/paper-trading/agents": {
          "get": {
            "summary": "Every agent in the database, with its accounts (base variant first) and its lifecycle status in the registry",
            "operationId": "listAgents",
            "responses": {
              "200": { "description": "The agents and the run", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AgentList" } } } },
              "400": { "$ref": "#/components/responses/BadRequest" },
              "503": { "$ref": "#/components/responses/Unavailable" }
            }
          }
        },
        "/api/paper-trading/agents/{id}/account": {
          "get": {
            "summary": "The agent's paper account",
            "operationId": "getAccount",
            "parameters": [ { "$ref": "#/components/parameters/AgentID" }, { "$ref": "#/components/parameters/Variant" } ],
            "responses": {
              "200": { "description": "The paper_accounts row", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Account" } } } },
              "400": { "$ref": "#/components/responses/BadRequest" }, "404": { "$ref": "#/components/responses/NotFound" },
              "503": { "$ref": "#/components/responses/Unavailable" }
            }
          }
        },
        "/api/paper-trading/agents/{id}/positions": {
          "get": {
            "summary": "The account's open positions, by ticker",
            "operationId": "getPositions",
            "parameters": [ { "$ref": "#/components/parameters/AgentID" }, { "$ref": "#/components/parameters/Variant" } ],
            "responses": {
              "200": { "description": "The paper_positions rows", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Positions" } } } },
              "400": { "$ref": "#/components/responses/BadRequest" }, "404": { "$ref": "#/components/responses/NotFound" },
              "503": { "$ref": "#/components/responses/Unavailable" }
            }
          }
        },
        "/api/paper-trading/agents/{id}/orders": {
          "get": {
            "summary": "A page of the account's orders, newest first (rejected ones with their reason)",
            "operationId": "getOrders",
            "parameters": [ { "$ref": "#/components/parameters/AgentID" }, { "$ref": "#/components/parameters/Variant" },
                            { "$ref": "#/components/parameters/Limit" }, { "$ref": "#/components/parameters/Offset" } ],
            "responses": {
              "200": { "description": "The paper_orders rows", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Orders" } } } },
              "400": { "$ref": "#/components/responses/BadRequest" }, "404": { "$ref": "#/components/responses/NotFound" },
              "503": { "$ref": "#/components/responses/Unavailable" }
            }
          }
        },
        "/api/paper-trading/agents/{id}/trades": {
          "get": {
            "summary": "A page of the account's executions, newest first",
            "operationId": "getTrades",
            "parameters": [ { "$ref": "#/components/parameters/AgentID" }, { "$ref": "#/components/parameters/Variant" },
                            { "$ref": "#/components/parameters/Limit" }, { "$ref": "#/components/parameters/Offset" } ],
            "responses": {
              "200": { "description": "The paper_trades rows", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Trades" } } } },
              "400": { "$ref": "#/components/responses/BadRequest" }, "404": { "$ref": "#/components/responses/NotFound" },
              "503": { "$ref": "#/components/responses/Unavailable" }
            }
          }
        },
        "/api/paper-trading/agents/{id}/performance": {
          "get": {
            "summary": "The account's statistics, daily snapshots and equity curve",
            "operationId": "getPerformance",
            "parameters": [ { "$ref": "#/components/parameters/AgentID" }, { "$ref": "#/components/parameters/Variant" } ],
            "responses": {
              "200": { "description": "Statistics and snapshots", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Performance" } } } },
              "400": { "$ref": "#/components/responses/BadRequest" }, "404": { "$ref": "#/components/responses/NotFound" },
              "503": { "$ref": "#/components/responses/Unavailable" }
            }
          }
        },
        "/api/agents/{id}/graduation/eligibility": {
          "get": {
            "summary": "Whether the agent may graduate its next step (or `step`), judged from the database under every variant it trades",
            "operationId": "getEligibility",
            "parameters": [ { "$ref": "#/components/parameters/AgentID" },
              { "name": "step", "in": "query", "required": false, "description": "paper (from learning) or live (from paper); default: the agent's next step",
                "schema": { "type": "string", "enum": ["paper", "live"] } } ],
            "responses": {
              "200": { "description": "The eligibility answer", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Eligibility" } } } },
              "400": { "$ref": "#/components/responses/BadRequest" }, "404": { "$ref": "#/components/responses/NotFound" },
              "503": { "$ref": "#/components/responses/Unavailable" }
            }
          }
        },
        "/api/agents/{id}/graduate": {
          "post": {
            "summary": "Graduate the agent one step when its verdict is robust, or when forced; recorded in the agent registry only",
            "operationId": "graduate",
            "parameters": [ { "$ref": "#/components/parameters/AgentID" } ],
            "requestBody": {
              "required": false,
              "content": { "application/json": { "schema": {
                "type": "object", "additionalProperties": false,
                "properties": { "force": { "type": "boolean", "description": "Graduate even when not eligible; the decision records that it was forced" } } } } }
            },
            "responses": {
              "200": { "description": "The graduate answer (success false when not graduated)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/GraduateAnswer" } } } },
              "400": { "$ref": "#/components/responses/BadRequest" }, "404": { "$ref": "#/components/responses/NotFound" },
              "409": { "$ref": "#/components/responses/Conflict" }, "413": { "$ref": "#/components/responses/TooLarge" },
              "503": { "$ref": "#/components/responses/Unavailable" }
            }
          }
        }
      },
      "components": {
        "parameters": {
          "AgentID": { "name": "id", "in": "path", "required": true, "description": "An agent id as the scenario names it",
                       "schema": { "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$" } },
          "Variant": { "name": "variant", "in": "query", "required": false, "description": "The fill-model variant's account; default: the run's first",
                       "schema": { "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$" } },
          "Limit": { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": 1000, "default": 100 } },
          "Offset": { "name": "offset", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 0, "maximum": 2147483647, "default": 0 } }
        },
        "responses": {
          "BadRequest": { "description": "A bad id, query or body", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
          "NotFound": { "description": "No such agent or variant in the database", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
          "Conflict": { "description": "The registry does not allow it (a live agent; a status changed meanwhile)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
          "TooLarge": { "description": "A body over 4096 bytes", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
          "Unavailable": { "description": "The database or registry cannot be read just now", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
        },
        "schemas": {
          "Error": { "type": "object", "required": ["error", "message"],
                     "properties": { "error": { "type": "string" }, "message": { "type": "string" } } },
          "Number": { "type": ["number", "null"] },
          "Text": { "type": ["string", "null"] },
          "AgentList": { "type": "object", "required": ["agents", "run", "paper"], "properties": {
            "paper": { "type": ["object", "null"], "description": "Paper mode's checkpoint (docs/paper-mode.md); null in a run's database", "properties": {
              "minute": { "$ref": "#/components/schemas/Text" }, "minutes": { "type": ["integer", "null"] },
              "state": { "type": ["string", "null"] }, "source": { "type": ["string", "null"] }, "delayed": { "type": ["integer", "null"] } } },
            "run": { "type": ["object", "null"], "properties": {
              "scenario_name": { "type": "string" }, "scenario_sha256": { "type": "string" }, "fill_model": { "type": "string" },
              "tool_version": { "type": "string" }, "tickers": { "type": "string" }, "bars_replayed": { "type": "integer" },
              "replay_start": { "$ref": "#/components/schemas/Text" }, "replay_end": { "$ref": "#/components/schemas/Text" } } },
            "agents": { "type": "array", "items": { "type": "object", "required": ["id", "kind", "lifecycle_status", "accounts"], "properties": {
              "id": { "type": "string" }, "kind": { "type": "string" },
              "lifecycle_status": { "type": "string", "enum": ["learning", "paper_trading", "live"] },
              "accounts": { "type": "array", "minItems": 1, "items": { "type": "object",
                "required": ["account_id", "variant", "status", "equity", "total_pnl"], "properties": {
                "account_id": { "type": "integer" }, "variant": { "type": "string" }, "status": { "type": "string", "enum": ["active", "paused", "closed"] },
                "initial_balance": { "$ref": "#/components/schemas/Number" }, "equity": { "$ref": "#/components/schemas/Number" },
                "total_pnl": { "$ref": "#/components/schemas/Number" }, "win_rate": { "$ref": "#/components/schemas/Number" },
                "sharpe_ratio": { "$ref": "#/components/schemas/Number" }, "max_drawdown": { "$ref": "#/components/schemas/Number" },
                "updated_at": { "$ref": "#/components/schemas/Text" } } } } } } } } },
          "Account": { "type": "object",
            "required": ["id", "agent_id", "agent_kind", "variant", "status", "initial_balance", "current_cash", "equity", "buying_power", "total_pnl", "win_rate", "sharpe_ratio", "max_drawdown"],
            "properties": {
              "id": { "type": "integer" }, "run_id": { "type": "integer" }, "agent_id": { "type": "string" }, "agent_kind": { "type": "string" },
              "variant": { "type": "string" }, "status": { "type": "string", "enum": ["active", "paused", "closed"] },
              "initial_balance": { "$ref": "#/components/schemas/Number" }, "current_cash": { "$ref": "#/components/schemas/Number" },
              "equity": { "$ref": "#/components/schemas/Number" }, "buying_power": { "$ref": "#/components/schemas/Number" },
              "total_pnl": { "$ref": "#/components/schemas/Number" }, "realized_pnl": { "$ref": "#/components/schemas/Number" },
              "unrealized_pnl": { "$ref": "#/components/schemas/Number" }, "commissions": { "$ref": "#/components/schemas/Number" },
              "slippage": { "$ref": "#/components/schemas/Number" }, "win_rate": { "$ref": "#/components/schemas/Number" },
              "sharpe_ratio": { "$ref": "#/components/schemas/Number" }, "max_drawdown": { "$ref": "#/components/schemas/Number" },
              "created_at": { "$ref": "#/components/schemas/Text" }, "updated_at": { "$ref": "#/components/schemas/Text" } } },
          "Positions": { "type": "object", "required": ["account_id", "variant", "positions"], "properties": {
            "account_id": { "type": "integer" }, "variant": { "type": "string" },
            "positions": { "type": "array", "items": { "type": "object", "required": ["ticker", "quantity", "avg_entry_price", "current_price", "unrealized_pnl", "unrealized_pnl_percent"], "properties": {
              "id": { "type": "integer" }, "account_id": { "type": "integer" }, "ticker": { "type": "string" }, "quantity": { "type": "integer" },
              "avg_entry_price": { "$ref": "#/components/schemas/Number" }, "current_price": { "$ref": "#/components/schemas/Number" },
              "cost_basis": { "$ref": "#/components/schemas/Number" }, "market_value": { "$ref": "#/components/schemas/Number" },
              "unrealized_pnl": { "$ref": "#/components/schemas/Number" }, "unrealized_pnl_percent": { "$ref": "#/components/schemas/Number" },
              "signal": { "$ref": "#/components/schemas/Text" }, "signal_id": { "type": ["integer", "null"] }, "opened_at": { "type": "string" } } } } } },
          "Orders": { "type": "object", "required": ["account_id", "variant", "total", "limit", "offset", "orders"], "properties": {
            "account_id": { "type": "integer" }, "variant": { "type": "string" }, "total": { "type": "integer" }, "limit": { "type": "integer" }, "offset": { "type": "integer" },
            "orders": { "type": "array", "items": { "type": "object", "required": ["id", "ticker", "side", "order_type", "quantity", "status", "submitted_at"], "properties": {
              "id": { "type": "integer" }, "account_id": { "type": "integer" }, "ticker": { "type": "string" },
              "side": { "type": "string", "enum": ["buy", "sell"] }, "order_type": { "type": "string", "enum": ["market", "limit", "stop", "stop_limit"] },
              "quantity": { "type": "integer" }, "filled_quantity": { "type": "integer" },
              "limit_price": { "$ref": "#/components/schemas/Number" }, "stop_price": { "$ref": "#/components/schemas/Number" },
              "status": { "type": "string", "enum": ["pending", "filled", "partially_filled", "cancelled", "rejected"] },
              "reject_reason": { "$ref": "#/components/schemas/Text" }, "commission": { "$ref": "#/components/schemas/Number" },
              "slippage": { "$ref": "#/components/schemas/Number" }, "purpose": { "type": "string" }, "signal": { "$ref": "#/components/schemas/Text" },
              "signal_id": { "type": ["integer", "null"] }, "submitted_at": { "type": "string" }, "closed_at": { "$ref": "#/components/schemas/Text" } } } } } },
          "Trades": { "type": "object", "required": ["account_id", "variant", "total", "limit", "offset", "trades"], "properties": {
            "account_id": { "type": "integer" }, "variant": { "type": "string" }, "total": { "type": "integer" }, "limit": { "type": "integer" }, "offset": { "type": "integer" },
            "trades": { "type": "array", "items": { "type": "object", "required": ["id", "order_id", "ticker", "side", "quantity", "price", "executed_at"], "properties": {
              "id": { "type": "integer" }, "account_id": { "type": "integer" }, "order_id": { "type": "integer" }, "ticker": { "type": "string" },
              "side": { "type": "string", "enum": ["buy", "sell"] }, "quantity": { "type": "integer" }, "price": { "$ref": "#/components/schemas/Number" },
              "reference_price": { "$ref": "#/components/schemas/Number" }, "commission": { "$ref": "#/components/schemas/Number" },
              "slippage": { "$ref": "#/components/schemas/Number" }, "realized_pnl": { "$ref": "#/components/schemas/Number" },
              "fill_rule": { "type": "string" }, "cash_after": { "$ref": "#/components/schemas/Number" }, "position_after": { "type": "integer" },
              "signal_id": { "type": ["integer", "null"] }, "executed_at": { "type": "string" } } } } } },
          "Performance": { "type": "object", "required": ["account_id", "variant", "equity", "total_pnl", "return_pct", "closing_trades", "winning_trades", "snapshots", "equity_curve"], "properties": {
            "account_id": { "type": "integer" }, "variant": { "type": "string" }, "initial_balance": { "$ref": "#/components/schemas/Number" },
            "equity": { "$ref": "#/components/schemas/Number" }, "total_pnl": { "$ref": "#/components/schemas/Number" },
            "return_pct": { "$ref": "#/components/schemas/Number" }, "closing_trades": { "type": "integer" }, "winning_trades": { "type": "integer" },
            "win_rate": { "$ref": "#/components/schemas/Number" }, "sharpe_ratio": { "$ref": "#/components/schemas/Number" },
            "max_drawdown": { "$ref": "#/components/schemas/Number" },
            "snapshots": { "type": "array", "items": { "type": "object", "required": ["date", "taken_at", "equity"], "properties": {
              "date": { "type": "string" }, "taken_at": { "type": "string" }, "equity": { "$ref": "#/components/schemas/Number" },
              "cash": { "$ref": "#/components/schemas/Number" }, "market_value": { "$ref": "#/components/schemas/Number" },
              "drawdown": { "$ref": "#/components/schemas/Number" }, "sharpe_ratio": { "$ref": "#/components/schemas/Number" },
              "open_positions": { "type": "integer" } } } },
            "equity_curve": { "type": "array", "items": { "type": "object", "required": ["time", "equity"], "properties": {
              "time": { "$ref": "#/components/schemas/Text" }, "equity": { "$ref": "#/components/schemas/Number" } } } } } },
          "Criterion": { "type": "object", "required": ["name", "met", "value", "threshold"], "properties": {
            "name": { "type": "string", "enum": ["iterations", "win_rate", "sharpe", "return", "signals", "consistency"] },
            "met": { "type": "boolean" }, "value": { "type": "number" }, "threshold": { "type": "number" }, "margin": { "type": "number" } } },
          "Eligibility": { "type": "object", "required": ["agent", "to", "eligible", "robust", "reason", "criteria_met", "stats", "variants"], "properties": {
            "agent": { "type": "string" }, "agent_id": { "type": "string" }, "to": { "type": "string", "enum": ["paper", "live"] },
            "current_status": { "type": "string", "enum": ["learning", "paper_trading", "live"] },
            "eligible": { "type": "boolean" }, "robust": { "type": "boolean" }, "forced": { "type": "boolean" }, "graduates": { "type": "boolean" },
            "reason": { "type": "string" }, "warnings": { "type": "array", "items": { "type": "string" } },
            "criteria_met": { "type": "object", "additionalProperties": { "type": "boolean" } },
            "criteria": { "type": "array", "items": { "$ref": "#/components/schemas/Criterion" } },
            "stats": { "type": "object", "properties": {
              "total_iterations": { "type": "integer" }, "avg_win_rate": { "type": "number" }, "avg_sharpe": { "type": "number" },
              "avg_return": { "type": "number" }, "total_signals": { "type": "integer" }, "recent_consistency": { "type": "boolean" },
              "win_rate": { "type": "number" }, "sharpe": { "type": "number" }, "return": { "type": "number" }, "closing_trades": { "type": "integer" } } },
            "variants": { "type": "array", "items": { "type": "object", "required": ["variant", "eligible", "reason", "criteria"], "properties": {
              "variant": { "type": "string" }, "eligible": { "type": "boolean" }, "reason": { "type": "string" },
              "criteria": { "type": "array", "items": { "$ref": "#/components/schemas/Criterion" } } } } } } },
          "GraduateAnswer": { "type": "object", "required": ["success", "message", "new_status", "paper_account_id"], "properties": {
            "success": { "type": "boolean" }, "message": { "type": "string" },
            "new_status": { "type": "string", "enum": ["learning", "paper_trading", "live"] },
            "paper_account_id": { "type": ["string", "null"] },
            "eligibility": { "$ref": "#/components/schemas/Eligibility" } } }
        }
      }
    }
    """#
}
