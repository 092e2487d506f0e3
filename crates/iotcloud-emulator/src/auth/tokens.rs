//! OceanConnect access and refresh tokens: issued by login, renewed by refreshToken, checked
//! (with `app_key`) on every other call. Memory only: a restarted platform forgets sessions.

use rand::Rng;
use std::collections::HashMap;
use std::time::{Duration, SystemTime};

/// A token issued to an application.
#[derive(Debug, Clone)]
struct Issued {
    app_id: String,
    expires: SystemTime,
}

/// Issued access and refresh tokens.
#[derive(Debug, Default)]
pub struct TokenStore {
    access: HashMap<String, Issued>,
    refresh: HashMap<String, Issued>,
}

/// A fresh login answer.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Unknown,
    Expired,
    OtherApp,
}

fn token() -> String {
    let bytes: [u8; 16] = rand::thread_rng().gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl TokenStore {
    /// Issue a new access token and refresh token for `app_id` at `now` (the emulator's clock).
    pub fn issue(
        &mut self,
        app_id: &str,
        (ttl, refresh_ttl): (Duration, Duration),
        now: SystemTime,
    ) -> Session {
        self.access.retain(|_, t| t.expires > now);
        self.refresh.retain(|_, t| t.expires > now);
        let session = Session {
            access_token: token(),
            refresh_token: token(),
            expires_in: ttl.as_secs(),
        };
        self.access.insert(
            session.access_token.clone(),
            Issued {
                app_id: app_id.to_string(),
                expires: now + ttl,
            },
        );
        self.refresh.insert(
            session.refresh_token.clone(),
            Issued {
                app_id: app_id.to_string(),
                expires: now + refresh_ttl,
            },
        );
        session
    }

    /// Use up `refresh_token` of `app_id` (a refresh token works once).
    pub fn take_refresh(
        &mut self,
        app_id: &str,
        refresh_token: &str,
        now: SystemTime,
    ) -> Result<(), TokenProblem> {
        let issued = self
            .refresh
            .remove(refresh_token)
            .ok_or(TokenProblem::Unknown)?;
        if issued.app_id != app_id {
            return Err(TokenProblem::OtherApp);
        }
        if issued.expires <= now {
            return Err(TokenProblem::Expired);
        }
        Ok(())
    }

    /// Check that `access_token` is live at `now` and belongs to `app_id`.
    pub fn check(
        &self,
        app_id: &str,
        access_token: &str,
        now: SystemTime,
    ) -> Result<(), TokenProblem> {
        let issued = self.access.get(access_token).ok_or(TokenProblem::Unknown)?;
        if issued.app_id != app_id {
            return Err(TokenProblem::OtherApp);
        }
        if issued.expires <= now {
            return Err(TokenProblem::Expired);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_expire_belong_to_their_app_and_refresh_once() {
        let mut store = TokenStore::default();
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        let minute = Duration::from_secs(60);
        let s = store.issue("app", (minute, minute), t0);
        assert_eq!(store.check("app", &s.access_token, t0), Ok(()));
        assert_eq!(
            store.check("other", &s.access_token, t0),
            Err(TokenProblem::OtherApp)
        );
        assert_eq!(store.check("app", "nope", t0), Err(TokenProblem::Unknown));
        let almost = t0 + minute - Duration::from_millis(1);
        assert_eq!(store.check("app", &s.access_token, almost), Ok(()));
        assert_eq!(
            store.check("app", &s.access_token, t0 + minute),
            Err(TokenProblem::Expired)
        );
        assert_eq!(store.take_refresh("app", &s.refresh_token, t0), Ok(()));
        assert_eq!(
            store.take_refresh("app", &s.refresh_token, t0),
            Err(TokenProblem::Unknown)
        );
        let late = store.issue("app", (minute, minute), t0);
        assert_eq!(
            store.take_refresh("app", &late.refresh_token, t0 + minute),
            Err(TokenProblem::Expired)
        );
    }
}
