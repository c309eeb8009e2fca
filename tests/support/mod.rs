//! What the hardening tests share: the binary under test in a home of its
//! own, a terminal (tmux) to run the reader in, a seeded random source,
//! and the check that no control character reaches the terminal.
#![allow(dead_code)] // each test file uses part of it

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The binary under test (`SETPROC_BIN` drives another build, e.g. the
/// release one for long runs).
pub fn bin() -> PathBuf {
    std::env::var_os("SETPROC_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_setproc")))
}

/// A number from the environment, or `default` (trial counts and lengths:
/// short in `cargo test`, long by hand).
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A temporary home: its own data and cache folders, so saved state and
/// caches never touch the user's.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn data(&self) -> PathBuf {
        self.path().join("data")
    }

    /// The saved-state file the reader writes.
    pub fn reader_json(&self) -> PathBuf {
        self.data().join("setproc").join("reader.json")
    }

    /// `setproc ARGS` in this home.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.args(args)
            .env("XDG_DATA_HOME", self.data())
            .env("XDG_CACHE_HOME", self.path().join("cache"))
            .env("NO_COLOR", "1");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("setproc runs")
    }

    /// The shell words that run `setproc ARGS` in this home (for tmux).
    pub fn shell_line(&self, args: &[&str]) -> String {
        let mut words = vec![
            "exec".to_string(),
            "env".into(),
            format!("XDG_DATA_HOME={}", quote(&self.data().to_string_lossy())),
            format!(
                "XDG_CACHE_HOME={}",
                quote(&self.path().join("cache").to_string_lossy())
            ),
            "TERM=xterm-256color".into(),
            quote(&bin().to_string_lossy()),
        ];
        words.extend(args.iter().map(|a| quote(a)));
        words.join(" ")
    }
}

pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

pub fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether a test that needs tmux may run; in CI (which installs it) a
/// missing tmux fails instead.
pub fn tmux_or_skip(test: &str) -> bool {
    if have_tmux() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "tmux is required in CI");
    eprintln!("SKIPPED {test}: tmux is not installed (apt-get install tmux)");
    false
}

/// One program in a private tmux server (its own socket), 160×30 (wide
/// enough for a message naming a temporary path), whose
/// pane stays after the program ends; killed when dropped.
pub struct Term {
    socket: PathBuf,
}

impl Term {
    /// Starts `shell_line` (see [`Home::shell_line`]) in a new pane; with
    /// `raw`, every byte the program writes is copied to that file.
    pub fn start(dir: &Path, shell_line: &str, raw: Option<&Path>) -> Term {
        let conf = dir.join("tmux.conf");
        std::fs::write(&conf, "set -g status off\nset -g remain-on-exit on\n").unwrap();
        // A new socket each time: a server just killed may still hold the
        // last one.
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let term = Term {
            socket: dir.join(format!("tmux-{n}.sock")),
        };
        let conf = conf.to_string_lossy().into_owned();
        let mut args = vec!["-f", &conf, "new-session", "-d", "-s", "t", "-x", "160"];
        args.extend(["-y", "30"]);
        // Started held (a shell reading a line), so the copy of the raw
        // output can begin before the program writes anything.
        let held = format!("read _; {shell_line}");
        args.push(if raw.is_some() {
            held.as_str()
        } else {
            shell_line
        });
        let out = term.tmux(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if let Some(raw) = raw {
            let pipe = format!("cat > {}", quote(&raw.to_string_lossy()));
            assert!(
                term.tmux(&["pipe-pane", "-o", "-t", "t", &pipe])
                    .status
                    .success()
            );
            term.keys(&["Enter"]);
        }
        term
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
    }

    pub fn type_text(&self, text: &str) {
        assert!(
            self.tmux(&["send-keys", "-t", "t", "-l", text])
                .status
                .success()
        );
    }

    /// The pane's program id (the program itself: the shell `exec`s it).
    pub fn pid(&self) -> u32 {
        let out = self.tmux(&["display-message", "-p", "-t", "t", "#{pane_pid}"]);
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    }

    pub fn dead(&self) -> bool {
        let out = self.tmux(&["display-message", "-p", "-t", "t", "#{pane_dead}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// Polls the screen until `ok` holds; the last screen either way.
    pub fn wait_for(&self, timeout: Duration, ok: impl Fn(&str) -> bool) -> Result<String, String> {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return Ok(s);
            }
            if start.elapsed() > timeout || self.dead() {
                return Err(s);
            }
            std::thread::sleep(Duration::from_millis(15));
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// The id at the start of the reader's status line (second from the
/// bottom).
pub fn status_id(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    lines
        .len()
        .checked_sub(2)
        .and_then(|i| lines.get(i))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("")
        .to_string()
}

/// A small seeded generator (xorshift64*): trials are repeatable from the
/// seed they print.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// A seed from `SETPROC_SEED`, else the clock.
    pub fn from_env() -> (Rng, u64) {
        let seed = env_number(
            "SETPROC_SEED",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64,
        );
        (Rng::new(seed), seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Sends SIGKILL to `pid`.
pub fn kill9(pid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status();
}

/// The first byte sequence in `bytes` that would act on a terminal: a C0
/// control other than newline and tab, DEL, a C1 control or a bidi
/// control. (For plain command output; the reader's own escape sequences
/// are checked by [`foreign_escape`].)
pub fn control_in(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    text.char_indices()
        .find(|(_, c)| {
            (c.is_control() && *c != '\n' && *c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .map(|(i, c)| {
            let from = text[..i].char_indices().rev().nth(30).map_or(0, |(k, _)| k);
            let to = text[i..]
                .char_indices()
                .nth(30)
                .map_or(text.len(), |(k, _)| i + k);
            format!("{c:?} in …{:?}…", &text[from..to])
        })
}

/// In the raw bytes the reader wrote to its terminal: anything but its
/// own drawing, which is text and CSI sequences (`ESC [`), plus carriage
/// returns. An OSC (`ESC ]`, which can set titles or links), a bell, a C1
/// control or a bidi control there came from the content.
pub fn foreign_escape(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let bad = match c {
            '\u{1b}' => chars.peek().map(|(_, n)| *n) != Some('['),
            '\n' | '\r' => false,
            c => c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
        };
        if bad {
            let to = text[i..]
                .char_indices()
                .nth(20)
                .map_or(text.len(), |(k, _)| i + k);
            return Some(format!("{c:?} at byte {i}: {:?}", &text[i..to]));
        }
    }
    None
}
