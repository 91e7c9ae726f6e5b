//! Literal Huma and Crona data, and a loop that answers a session's requests from it: the
//! sans-IO way to test the core, with no network.
#![allow(
    dead_code,
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::expect_used
)]

use crona_sync::request::{HttpRequest, HttpResponse};
use crona_sync::{SessionConfig, SyncSession};
use serde_json::{json, Value};

/// One person as both systems hold them (`None` = absent there).
#[derive(Clone)]
pub struct World {
    pub huma: Vec<Value>,
    pub crona: Vec<Value>,
}

/// A Huma user's details, with per-field wrappers.
pub fn huma_user(id: &str, given: &str, family: &str, email: &str) -> Value {
    let w = |v: &str| json!({"value": v, "editable": true});
    json!({
        "id": id, "type": "user", "subordinatesCount": 0, "status": {"active": true},
        "email": {"value": email, "editable": true},
        "givenName": w(given), "familyName": w(family),
        "employmentId": {"editable": true},
        "phone": {"editable": true}, "privateEmail": {"editable": true},
        "homeAddress": {"editable": true}, "bankAccount": {"editable": true}
    })
}

/// Sets a wrapped Huma field's value.
pub fn set_huma(user: &mut Value, field: &str, value: Value) {
    user[field] = json!({"value": value, "editable": true});
}

/// A Crona employee.
pub fn crona_employee(anst: &str, given: &str, family: &str, email: &str) -> Value {
    json!({"AnstNr": anst, "FoNamn": given, "EfNamn": family, "EpostArb": email})
}

/// A numeric query parameter of a request (0 when absent).
pub fn query_number(r: &HttpRequest, key: &str) -> usize {
    r.query
        .get(key)
        .and_then(|v| v.first())
        .map(|s| s.parse::<usize>().unwrap())
        .unwrap_or(0)
}

/// A session fetched from `world`, and the plan `decisions` (JSON) make.
pub fn planned(world: &mut World, decisions: &str) -> (SyncSession, crona_sync::plan::Plan) {
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    world.drive(&mut s, false).unwrap();
    let plan = s
        .plan(&crona_sync::plan::decisions_from_json(decisions).unwrap())
        .unwrap();
    (s, plan)
}

/// A session fetched from `w`, with `extra` config.
pub fn session(w: &World, extra: Value) -> SyncSession {
    let mut s = SyncSession::new(config(extra)).unwrap();
    w.clone().drive(&mut s, false).unwrap();
    s
}

/// The plan `decisions` (JSON) make in `s`.
pub fn plan(s: &mut SyncSession, decisions: Value) -> crona_sync::plan::Plan {
    s.plan(&crona_sync::plan::decisions_from_json(&decisions.to_string()).unwrap())
        .unwrap()
}

/// Eva, in both systems, with these positions in Huma.
pub fn eva(positions: Value) -> World {
    let mut h = huma_user(&uuid(1), "Eva", "Ek", "eva.ek@exempel.se");
    set_huma(&mut h, "employmentId", json!("1001"));
    h["_positions"] = positions;
    World {
        huma: vec![h],
        crona: vec![crona_employee("1001", "Eva", "Ek", "eva.ek@exempel.se")],
    }
}

/// A current Huma position from `start` (to `end`) as `title`.
pub fn position(start: &str, end: Option<&str>, title: &str) -> Value {
    json!({"id": format!("p-{start}"), "contractStartDate": start, "contractEndDate": end, "title": {"id": "t", "name": title}, "status": "CURRENT"})
}

pub fn uuid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

pub fn config(extra: Value) -> SessionConfig {
    let mut base = json!({"today": "2026-11-25", "now": "2026-11-25T10:00:00+01:00"});
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    SessionConfig::from_json(&base.to_string()).unwrap()
}

impl World {
    /// What the APIs would answer to a write: the world changes as the real systems would.
    fn write(&mut self, r: &HttpRequest) -> Option<HttpResponse> {
        use crona_sync::request::Method;
        let body: Value = r
            .body
            .as_deref()
            .map(|b| serde_json::from_str(b).unwrap())
            .unwrap_or(Value::Null);
        let reply = |status: u16, body: Value| {
            Some(HttpResponse {
                id: r.id.clone(),
                status,
                body: body.to_string().into(),
                error: None,
            })
        };
        match (r.method, r.path.as_str()) {
            (Method::Patch, path) if path.starts_with("/users/") => {
                let id = &path["/users/".len()..];
                let user = self.huma.iter_mut().find(|u| u["id"] == id)?;
                for (k, v) in body.as_object()? {
                    user[k.as_str()] = json!({"value": v, "editable": true});
                }
                reply(200, user.clone())
            }
            (Method::Post, "/users") => {
                let id = uuid(9000 + self.huma.len() as u32);
                let mut user = huma_user(
                    &id,
                    body["givenName"].as_str()?,
                    body["familyName"].as_str()?,
                    body["email"].as_str()?,
                );
                user["groups"] = body["groups"].clone();
                self.huma.push(user);
                reply(
                    200,
                    json!({"id": id, "givenName": body["givenName"], "familyName": body["familyName"], "email": body["email"], "type": "user", "status": {"active": true}, "jobTitles": []}),
                )
            }
            (Method::Patch, path) if path.starts_with("/api/v1/employees/") => {
                let anst = &path["/api/v1/employees/".len()..];
                let e = self.crona.iter_mut().find(|e| e["AnstNr"] == anst)?;
                for (k, v) in body.as_object()? {
                    e[k.as_str()] = v.clone();
                }
                reply(200, e.clone())
            }
            (Method::Post, "/api/v1/employees") => {
                if self.crona.iter().any(|e| e["AnstNr"] == body["AnstNr"]) {
                    return reply(
                        409,
                        json!({"error": {"code": "employee_exists", "message": "AnstNr exists", "field": "AnstNr"}}),
                    );
                }
                self.crona.push(body.clone());
                reply(201, body)
            }
            (Method::Get, path) if path.starts_with("/api/v1/employees/") => {
                let anst = &path["/api/v1/employees/".len()..];
                match self.crona.iter().find(|e| e["AnstNr"] == anst) {
                    Some(e) => reply(200, e.clone()),
                    None => reply(
                        404,
                        json!({"error": {"code": "not_found", "message": "no such employee"}}),
                    ),
                }
            }
            _ => None,
        }
    }

    /// What the APIs would answer.
    pub fn answer(&mut self, r: &HttpRequest) -> HttpResponse {
        if let Some(response) = self.write(r) {
            return response;
        }
        let q = |k: &str| query_number(r, k);
        let ok = |body: Value| HttpResponse {
            id: r.id.clone(),
            status: 200,
            body: body.to_string().into(),
            error: None,
        };
        let path = r.path.as_str();
        if path == "/users" {
            let (limit, offset) = (q("limit"), q("offset"));
            let items: Vec<Value> = self
                .huma
                .iter()
                .skip(offset)
                .take(limit)
                .map(|u| json!({"id": u["id"], "type": "user"}))
                .collect();
            return ok(json!({"total": self.huma.len(), "items": items}));
        }
        if let Some(rest) = path.strip_prefix("/users/") {
            if let Some(id) = rest.strip_suffix("/positions") {
                let positions: Vec<Value> = self
                    .huma
                    .iter()
                    .find(|u| u["id"] == id)
                    .and_then(|u| u.get("_positions")?.as_array().cloned())
                    .unwrap_or_default();
                let items: Vec<&Value> = positions
                    .iter()
                    .skip(q("offset"))
                    .take(q("limit"))
                    .collect();
                return ok(json!({"total": positions.len(), "items": items}));
            }
            return match self.huma.iter().find(|u| u["id"] == rest) {
                Some(u) => ok(u.clone()),
                None => HttpResponse {
                    id: r.id.clone(),
                    status: 404,
                    body: json!({"errorCode": "object:not-found", "errorMessage": "User not found", "interpolations": {}}).to_string().into(),
                    error: None,
                },
            };
        }
        if path == "/api/v1/employees" {
            let (page, size) = (q("page"), q("pageSize"));
            let items: Vec<Value> = self
                .crona
                .iter()
                .skip((page - 1) * size)
                .take(size)
                .cloned()
                .collect();
            return ok(
                json!({"items": items, "page": page, "pageSize": size, "total": self.crona.len()}),
            );
        }
        panic!("unexpected request {}", r.label());
    }

    /// Runs the session until it asks nothing more, letting `answer` decide each response
    /// (it may call `World::answer`, change its result, or refuse without touching the world).
    pub fn drive_with(
        &mut self,
        session: &mut SyncSession,
        mut answer: impl FnMut(&mut World, &HttpRequest) -> HttpResponse,
    ) -> crona_sync::Result<()> {
        loop {
            let requests = session.poll();
            if requests.is_empty() {
                return Ok(());
            }
            let answers: Vec<HttpResponse> = requests.iter().map(|r| answer(self, r)).collect();
            session.handle(&answers)?;
        }
    }

    /// Runs the session's fetch to the end, answering each batch (reversed when asked, to
    /// prove order doesn't matter).
    pub fn drive(&mut self, session: &mut SyncSession, reverse: bool) -> crona_sync::Result<()> {
        loop {
            let mut requests = session.poll();
            if requests.is_empty() {
                return Ok(());
            }
            if reverse {
                requests.reverse();
            }
            let answers: Vec<HttpResponse> = requests.iter().map(|r| self.answer(r)).collect();
            session.handle(&answers)?;
        }
    }
}

/// Runs a whole session with `extra` config (fetch, plan `decisions`, apply, verify) and returns
/// its report as JSON.
pub fn run_session(world: &mut World, extra: Value, decisions: &str) -> Value {
    let mut s = SyncSession::new(config(extra)).unwrap();
    world.drive(&mut s, false).unwrap();
    let plan = s
        .plan(&crona_sync::plan::decisions_from_json(decisions).unwrap())
        .unwrap();
    s.apply(&plan.hash, true).unwrap();
    world.drive(&mut s, false).unwrap();
    assert_eq!(s.phase(), crona_sync::Phase::Done);
    serde_json::to_value(s.report().unwrap()).unwrap()
}

/// The preview of a session fetched from `world` with `extra` config, as JSON.
pub fn preview_json(world: &World, extra: Value) -> Value {
    let mut s = SyncSession::new(config(extra)).unwrap();
    world.clone().drive(&mut s, false).unwrap();
    serde_json::to_value(s.preview().unwrap()).unwrap()
}

/// How many cases a property test runs: its default, or `PROPTEST_CASES` from the environment
/// (raise it for a longer search: `PROPTEST_CASES=5000 cargo test`).
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Every write the world received: (method, path, body) in the order answered.
pub fn is_write(r: &HttpRequest) -> bool {
    r.method != crona_sync::request::Method::Get
}
