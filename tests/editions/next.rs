//! A second edition of the manual, made from the June 2025 text: the test
//! data for `setproc diff`, the id map, bookmarks across editions and the
//! benchmark. Reproducible (a pure function of the source text) and
//! documented change by change; write it to a file with
//!
//!     cargo run --example next_edition > /tmp/set-april-2026.txt
//!
//! It applies the kinds of change the SET briefings describe (May 2019:
//! chapters rewritten, sections added, appendices removed, "Chapter 24 …
//! is now Chapter 25"), editing the text the way a new edition would: the
//! contents list, headings, running page headers and paragraph numbers
//! all follow. Citations in the text are left as they were, as the
//! manual's own editors often did (setproc resolves them by title).
//!
//! The changes ([`CHANGES`] lists them for people; the tests state what
//! `setproc diff` must report independently of this file):
//!
//! 1. the title page: June 2025 → April 2026;
//! 2. reworded: A1.3 (paragraph 1.3.1), B17.10 (17.10.1), old B25.4
//!    (25.4.5, a sentence added);
//! 3. a title changed: A2.3 "Local authority children's social care -
//!    thresholds for referrals" → "Thresholds for referrals to children's
//!    social care"; and chapter B25 "Online based forms of abuse" →
//!    "Online Forms of Abuse" (as the 2019 briefing retitled ICT abuse);
//! 4. paragraphs renumbered inside a section: a new paragraph 3.4.5 in
//!    A3.4, so the old 3.4.5 … become 3.4.6 …;
//! 5. a section removed: A3.7 (Visually recorded interviews), so A3.8–A3.11
//!    become A3.7–A3.10;
//! 6. a section added: B13.8 Criminal Behaviour Orders;
//! 7. a chapter moved between groupings: B16 Supervision leaves Part B2 for
//!    the end of Part B1, becoming B14 (B14 → B15, B15 → B16);
//! 8. a chapter inserted: B25 Child-on-Child Abuse (three sections), so the
//!    old chapters 25–46 become 26–47.

/// The changes, one line each (for the example's `--list` and reports).
// Several test binaries include this file; not every one prints the list.
#[allow(dead_code)]
pub const CHANGES: &[&str] = &[
    "title page: June 2025 -> April 2026",
    "reworded: A1.3 (1.3.1), B17.10 (17.10.1), B25.4 (25.4.5; now B26.4)",
    "title changed: A2.3; chapter B25 Online based forms of abuse -> Online Forms of Abuse (now B26)",
    "paragraph inserted: A3.4.5 (old A3.4.5 onwards renumbered +1)",
    "section removed: A3.7 (A3.8-A3.11 become A3.7-A3.10)",
    "section added: B13.8 Criminal Behaviour Orders",
    "chapter moved: B16 Supervision from Part B2 to the end of Part B1, now B14 (B14 -> B15, B15 -> B16)",
    "chapter inserted: B25 Child-on-Child Abuse (B25.1-B25.3); old B25-B46 become B26-B47",
];

/// The April 2026 edition made from `june_2025` (the manual's text).
pub fn next_edition(june_2025: &str) -> String {
    let mut t = Text::new(june_2025);
    t.replace_once("[June 2025]", "[April 2026]");
    reword(&mut t);
    retitle(&mut t);
    t.remove_section_a37();
    t.add_section_b13_8();
    t.move_b16_to_b1();
    t.renumber();
    t.insert_paragraph_a3_4_5();
    t.insert_chapter_b25();
    let mut out = t.lines.join("\n");
    out.push('\n');
    out
}

fn reword(t: &mut Text) {
    t.replace_once(
        "This requires all professionals, including those in universal services and those providing service to adults with children, to understand their role",
        "This requires every professional, including those in universal services and those working with adults who are parents or carers, to understand their role",
    );
    t.replace_once(
        "in accordance with the Essex Police Domestic Abuse Initial Grading and Attendance Procedure which outlines",
        "in accordance with the Essex Police Domestic Abuse Risk Assessment and Attendance Policy (2026), which outlines",
    );
    t.replace_once(
        "about the law in relation to sexual imagery.",
        "about the law in relation to sexual imagery. Schools should follow the UKCIS guidance on sharing nudes and semi-nudes when responding to an incident.",
    );
}

fn retitle(t: &mut Text) {
    // Contents line and heading of A2.3.
    let old = "2.3 Local authority children's social care - thresholds for referrals";
    let new = "2.3 Thresholds for referrals to children's social care";
    let n = t.replace_line_starts(old, new);
    assert_eq!(n, 2, "A2.3: the contents line and the heading");
    // Chapter B25: its contents line, heading and running headers (not the
    // citations of it elsewhere, which keep the words they were written with).
    let n = t.replace_line_starts(
        "25.\tOnline based forms of abuse",
        "25.\tOnline Forms of Abuse",
    ) + t.replace_line_starts(
        "25. Online based forms of abuse",
        "25. Online Forms of Abuse",
    );
    assert!(n >= 2, "chapter 25's contents line and heading");
}

/// The source as lines, with the landmarks the edits need.
pub struct Text {
    pub lines: Vec<String>,
}

/// A line's leading number: prefix ("- ", a Part A running header's
/// "PART A: ", or ""), numbers, rest after the number (starting with its
/// separator).
pub fn leading_number(line: &str) -> Option<(&str, Vec<u16>, &str)> {
    let (prefix, t) = ["- ", "PART A: "]
        .iter()
        .find_map(|p| line.strip_prefix(p).map(|rest| (*p, rest)))
        .unwrap_or(("", line));
    let mut nums = Vec::new();
    let mut rest = t;
    loop {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 3 {
            return None;
        }
        nums.push(rest[..digits].parse().ok()?);
        rest = &rest[digits..];
        match rest.strip_prefix('.') {
            Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) && nums.len() < 3 => rest = r,
            _ => break,
        }
    }
    // "25. Title" (a chapter), "25.4 Title", "25.4.1 Text", "2.12.12".
    let ok = match nums.len() {
        1 => rest.starts_with(". ") || rest.starts_with(".\t"),
        _ => rest.is_empty() || rest.starts_with([' ', '\t']) || rest.starts_with(". "),
    };
    ok.then_some((prefix, nums, rest))
}

fn number_text(nums: &[u16]) -> String {
    nums.iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A title without its dot leaders and page ("Online … abuse.....\t463").
fn bare_title(rest: &str) -> String {
    let t = rest.trim_start_matches(['.', ' ', '\t']);
    let t = t.trim_end_matches(|c: char| c.is_ascii_digit() || c == '\t' || c == ' ');
    t.trim_end_matches('.').trim().to_lowercase()
}

/// A renumbering: an id's numbers to its new ones, `None` to leave it.
pub type Renumber<'a> = &'a dyn Fn(&[u16]) -> Option<Vec<u16>>;

impl Text {
    pub fn new(source: &str) -> Text {
        Text {
            lines: source.lines().map(str::to_string).collect(),
        }
    }

    pub fn find(&self, from: usize, pred: impl Fn(&str) -> bool) -> usize {
        (from..self.lines.len())
            .find(|&i| pred(&self.lines[i]))
            .unwrap_or_else(|| panic!("landmark not found after line {from}"))
    }

    pub fn contents(&self) -> usize {
        self.find(0, |l| l.trim() == "Contents")
    }

    /// The body's `PART A` heading (the contents list's has a page number).
    pub fn body(&self) -> usize {
        self.find(self.contents(), |l| l.trim() == "PART A")
    }

    pub fn contents_part_b(&self) -> usize {
        self.find(self.contents(), |l| l.starts_with("PART B\t"))
    }

    pub fn body_part_b(&self) -> usize {
        self.find(self.body(), |l| l.trim() == "PART B")
    }

    pub fn replace_once(&mut self, old: &str, new: &str) {
        let hits: Vec<usize> = (0..self.lines.len())
            .filter(|&i| self.lines[i].contains(old))
            .collect();
        assert_eq!(hits.len(), 1, "{old:?} should occur once");
        self.lines[hits[0]] = self.lines[hits[0]].replacen(old, new, 1);
    }

    pub fn replace_line_starts(&mut self, old: &str, new: &str) -> usize {
        let mut n = 0;
        for l in &mut self.lines {
            if let Some(rest) = l.strip_prefix(old) {
                *l = format!("{new}{rest}");
                n += 1;
            }
        }
        n
    }

    /// The body line where a chapter starts: its title line, the last one
    /// before its first numbered section or paragraph after `from`.
    pub fn chapter_start(&self, from: usize, chapter: u16) -> usize {
        let first = self.find(from, |l| {
            leading_number(l).is_some_and(|(_, n, _)| n.len() >= 2 && n[0] == chapter)
        });
        (from..first)
            .rev()
            .find(|&i| leading_number(&self.lines[i]).is_some_and(|(_, n, _)| n == [chapter]))
            .expect("the chapter's title line")
    }

    fn remove_section_a37(&mut self) {
        let c = self.contents();
        let line = self.find(c, |l| l.starts_with("3.7 Visually recorded interviews"));
        self.lines.remove(line);
        let body = self.body();
        let start = self.find(body, |l| l.starts_with("3.7 Visually recorded interviews"));
        let end = self.find(start, |l| l.starts_with("3.8 Paediatric assessment"));
        self.lines.drain(start..end);
    }

    fn add_section_b13_8(&mut self) {
        let c = self.contents();
        let at = self.find(c, |l| l.starts_with("13.7 MAPPA core functions")) + 1;
        self.lines
            .insert(at, "13.8 Criminal Behaviour Orders\t329".to_string());
        let body_b = self.body_part_b();
        let at = self.find(body_b, |l| {
            l.trim() == "PART B2: Learning and Improvement Framework"
        });
        let text = [
            "13.8 Criminal Behaviour Orders",
            "",
            "- 13.8.1 A Criminal Behaviour Order (CBO) may be made by a court on conviction for any criminal offence, to tackle the most serious and persistent anti-social individuals whose behaviour has brought them before a criminal court.",
            "- 13.8.2 Where the subject of an application lives with or has contact with children, the police and the local authority should share information so that the conditions of the order take account of the safety of those children.",
            "",
        ];
        self.insert_lines(at, &text);
    }

    pub fn insert_lines(&mut self, at: usize, text: &[&str]) {
        for (k, l) in text.iter().enumerate() {
            self.lines.insert(at + k, l.to_string());
        }
    }

    /// Chapter 16 (contents entries and body) moved to the end of Part B1;
    /// its running headers name its new grouping.
    fn move_b16_to_b1(&mut self) {
        let c = self.contents();
        let start = self.find(c, |l| l.starts_with("16. Supervision"));
        let end = self.find(start, |l| l.starts_with("PART B3:"));
        let entries: Vec<String> = self.lines.drain(start..end).collect();
        let at = self.find(c, |l| l.starts_with("PART B2:"));
        self.lines.splice(at..at, entries);

        let body_b = self.body_part_b();
        let start = self.chapter_start(body_b, 16);
        let end = self.find(start, |l| {
            l.trim() == "PART B3: Safeguarding Children Practice Guidance"
        });
        let block: Vec<String> = self
            .lines
            .drain(start..end)
            .map(|l| {
                if l.trim() == "PART B2: Learning and Improvement Framework" {
                    "PART B1: General Practice Guidance".to_string()
                } else {
                    l
                }
            })
            .collect();
        let at = self.find(body_b, |l| {
            l.trim() == "PART B2: Learning and Improvement Framework"
        });
        self.lines.splice(at..at, block);
    }

    /// Every number the edition changes: A3.8–A3.11 down one, A3.4.5 on up
    /// one (before the new 3.4.5 goes in), chapters 14–16 rotated and 25–46
    /// up one (before the new 25 goes in). Chapter title lines in the body
    /// are renumbered only when they carry the chapter's title, so a list
    /// item "25. …" is never taken for one.
    fn renumber(&mut self) {
        let part_a = |n: &[u16]| -> Option<Vec<u16>> {
            match n {
                [3, s @ 8..=11, rest @ ..] => Some([&[3, s - 1][..], rest].concat()),
                [3, 4, p] if *p >= 5 => Some(vec![3, 4, p + 1]),
                _ => None,
            }
        };
        let part_b = |n: &[u16]| -> Option<Vec<u16>> {
            let ch = match n[0] {
                14 => 15,
                15 => 16,
                16 => 14,
                k @ 25..=46 => k + 1,
                _ => return None,
            };
            Some([&[ch][..], &n[1..]].concat())
        };
        self.renumber_with(&part_a, &part_b);
    }

    /// Renumbers every id of Part A by `part_a` and of Part B by `part_b`,
    /// in the contents list and the body, once each (so maps may rotate
    /// numbers).
    pub fn renumber_with(&mut self, part_a: Renumber, part_b: Renumber) {
        let (c, cb, body, bb) = (
            self.contents(),
            self.contents_part_b(),
            self.body(),
            self.body_part_b(),
        );
        let titles_a = self.chapter_titles(c, cb);
        let titles_b = self.chapter_titles(cb, body);
        let len = self.lines.len();
        for (range, map, in_body, titles) in [
            (c..cb, part_a, false, &titles_a),
            (cb..body, part_b, false, &titles_b),
            (body..bb, part_a, true, &titles_a),
            (bb..len, part_b, true, &titles_b),
        ] {
            for i in range {
                let line = &self.lines[i];
                let Some((prefix, nums, rest)) = leading_number(line) else {
                    continue;
                };
                let is_title_line = nums.len() == 1
                    && titles
                        .get(&nums[0])
                        .is_some_and(|t| bare_title(rest).starts_with(t.as_str()));
                if in_body && nums.len() == 1 && !is_title_line {
                    continue;
                }
                if let Some(new) = map(&nums) {
                    self.lines[i] = format!("{prefix}{}{rest}", number_text(&new));
                }
            }
        }
    }

    /// Chapter titles by number, from the contents list between two lines.
    fn chapter_titles(&self, from: usize, to: usize) -> std::collections::HashMap<u16, String> {
        (from..to)
            .filter_map(|i| {
                let (_, nums, rest) = leading_number(&self.lines[i])?;
                (nums.len() == 1).then(|| (nums[0], bare_title(rest)))
            })
            .collect()
    }

    fn insert_paragraph_a3_4_5(&mut self) {
        let body = self.body();
        let at = self.find(body, |l| {
            l.starts_with("3.4.6 ") || l.starts_with("- 3.4.6 ")
        });
        self.insert_lines(
            at,
            &[
                "- 3.4.5 A strategy meeting/discussion should take place within one working day of the decision that one is needed, and sooner where the child may be at immediate risk. The decisions made and the reasons for them must be recorded and shared with everyone who took part.",
                "",
            ],
        );
    }

    fn insert_chapter_b25(&mut self) {
        let c = self.contents();
        let at = self.find(c, |l| l.starts_with("26.\tOnline Forms of Abuse"));
        for (k, l) in [
            "25.\tChild-on-Child Abuse\t463",
            "25.1\tIntroduction\t463",
            "25.2\tRecognition\t463",
            "25.3\tResponse\t463",
        ]
        .iter()
        .enumerate()
        {
            self.lines.insert(at + k, l.to_string());
        }
        let body_b = self.body_part_b();
        let at = self.chapter_start(body_b, 26);
        self.insert_lines(at, &CHAPTER_25);
    }
}

const CHAPTER_25: [&str; 17] = [
    "25. Child-on-Child Abuse",
    "",
    "25.1 Introduction",
    "",
    "- 25.1.1 Children can abuse other children. This is generally referred to as child-on-child abuse and can take many forms, including bullying (including cyberbullying), physical abuse, sexual violence and sexual harassment, the consensual and non-consensual sharing of nude and semi-nude images, and initiation or hazing type violence and rituals.",
    "- 25.1.2 All professionals should recognise that children are capable of abusing their peers, and that such abuse should never be dismissed as banter, as part of growing up or as 'boys being boys'.",
    "",
    "25.2 Recognition",
    "",
    "- 25.2.1 Professionals should be alert to changes in a child's behaviour, unexplained injuries, withdrawal from friends, reluctance to attend school or activities, and money or goods that cannot be accounted for.",
    "- 25.2.2 Both the child who has been harmed and the child who has harmed should be considered as children who may need support and protection.",
    "",
    "25.3 Response",
    "",
    "- 25.3.1 Concerns about child-on-child abuse should be referred to local authority children's social care in line with Part A, chapter 2, Referral and Assessment. Where a crime may have been committed the police should also be informed.",
    "- 25.3.2 Education settings should follow their child protection policy and record each concern, the decisions made and the reasons for them.",
    "",
];
