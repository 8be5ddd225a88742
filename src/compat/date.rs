//! Compatibility dates: strict `YYYY-MM-DD` calendar dates.

use std::fmt;
use std::str::FromStr;

/// A compatibility date, e.g. `2026-04-07`.
///
/// Parsing is deliberately strict: exactly four-digit year, two-digit month
/// and two-digit day, a real calendar date (no February 30), and a year in
/// 2000..=2999 like the production runtime. A loose parser would let
/// `2026-4-7` work here and then fail on deploy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CompatDate {
    // Field order matters: the derived `Ord` compares year, then month, then day.
    year: u16,
    month: u8,
    day: u8,
}

/// Why a string is not a compatibility date. The caller turns this into the
/// user-facing [`CompatError`](super::CompatError), which knows the newest
/// supported date; this type only says what was wrong with the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateParseError {
    #[error("expected the form YYYY-MM-DD")]
    Shape,
    #[error("the year must be between 2000 and 2999")]
    Year,
    #[error("there is no month {0}")]
    Month(u8),
    #[error("there is no day {day} in month {month} of {year}")]
    Day { year: u16, month: u8, day: u8 },
}

impl CompatDate {
    /// Builds a date from its parts, checking that it exists on the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateParseError> {
        if !(2000..=2999).contains(&year) {
            return Err(DateParseError::Year);
        }
        if !(1..=12).contains(&month) {
            return Err(DateParseError::Month(month));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateParseError::Day { year, month, day });
        }
        Ok(CompatDate { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }
}

fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for CompatDate {
    type Err = DateParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(DateParseError::Shape);
        }
        // The shape check guarantees ASCII digits, so these cannot fail.
        let number = |range: std::ops::Range<usize>| -> u16 {
            text[range].parse().expect("digits checked above")
        };
        let month = u8::try_from(number(5..7)).expect("two digits fit in u8");
        let day = u8::try_from(number(8..10)).expect("two digits fit in u8");
        CompatDate::new(number(0..4), month, day)
    }
}

impl fmt::Display for CompatDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_real_dates() {
        for text in [
            "2026-04-07",
            "2000-01-01",
            "2999-12-31",
            "2024-02-29",
            "2000-02-29",
        ] {
            let date: CompatDate = text.parse().unwrap();
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn rejects_malformed_dates() {
        let cases: &[(&str, DateParseError)] = &[
            ("2026-4-7", DateParseError::Shape),
            ("2026-04-7", DateParseError::Shape),
            ("yesterday", DateParseError::Shape),
            (" 2026-04-07", DateParseError::Shape),
            ("2026-04-07 ", DateParseError::Shape),
            ("2026/04/07", DateParseError::Shape),
            ("2026-+4-07", DateParseError::Shape),
            ("", DateParseError::Shape),
            ("1999-12-31", DateParseError::Year),
            ("3000-01-01", DateParseError::Year),
            ("2026-13-01", DateParseError::Month(13)),
            ("2026-00-01", DateParseError::Month(0)),
            (
                "2026-02-30",
                DateParseError::Day {
                    year: 2026,
                    month: 2,
                    day: 30,
                },
            ),
            (
                "2023-02-29",
                DateParseError::Day {
                    year: 2023,
                    month: 2,
                    day: 29,
                },
            ),
            (
                "2100-02-29",
                DateParseError::Day {
                    year: 2100,
                    month: 2,
                    day: 29,
                },
            ),
            (
                "2026-04-31",
                DateParseError::Day {
                    year: 2026,
                    month: 4,
                    day: 31,
                },
            ),
            (
                "2026-01-00",
                DateParseError::Day {
                    year: 2026,
                    month: 1,
                    day: 0,
                },
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                text.parse::<CompatDate>().as_ref(),
                Err(expected),
                "{text:?}"
            );
        }
    }

    #[test]
    fn orders_chronologically() {
        let d = |s: &str| s.parse::<CompatDate>().unwrap();
        assert!(d("2026-04-06") < d("2026-04-07"));
        assert!(d("2026-03-31") < d("2026-04-01"));
        assert!(d("2025-12-31") < d("2026-01-01"));
    }
}
