//! The sign-up form as posted, and its validation. Shared by the page (to show what was typed and
//! the messages next to the fields) and the server (to decide).

use serde::{Deserialize, Serialize};

/// Version of the privacy notice (/privatliv) that sign-ups accept. Raise it when the notice
/// changes; each booking stores the version its person accepted.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-12-06";

pub const NAME_MAX: usize = 80;
pub const EMAIL_MAX: usize = 254;
pub const PHONE_MAX: usize = 20;
pub const NEEDS_MAX: usize = 300;

/// The fields exactly as posted. Every field is a string with a default, so a tampered or
/// partial post still reaches validation and gets a message instead of a decoding error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    pub run: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub perspective: String,
    pub municipality: String,
    pub needs: String,
    /// `ja` when the consent box is ticked.
    pub consent: String,
    /// Someone signing another person up: their own name and e-mail, and that they have the
    /// person's consent.
    pub booker_name: String,
    pub booker_email: String,
    pub booker_consent: String,
    /// Honeypot: hidden from people, filled in by robots.
    pub website: String,
    /// Random key the form was rendered with; makes a resubmit find the same booking.
    pub key: String,
}

/// A form field, for placing a message next to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Name,
    Email,
    Phone,
    Perspective,
    Municipality,
    Needs,
    Consent,
    BookerName,
    BookerEmail,
    BookerConsent,
}

impl Field {
    /// The `id` of the field's input in the form.
    pub fn input_id(self) -> &'static str {
        match self {
            Field::Name => "felt-navn",
            Field::Email => "felt-email",
            Field::Phone => "felt-telefon",
            Field::Perspective => "felt-perspektiv",
            Field::Municipality => "felt-kommune",
            Field::Needs => "felt-behov",
            Field::Consent => "felt-samtykke",
            Field::BookerName => "felt-tilmelder-navn",
            Field::BookerEmail => "felt-tilmelder-email",
            Field::BookerConsent => "felt-tilmelder-samtykke",
        }
    }
}

crate::refusals! {
    /// What is wrong with a sign-up, each shown next to its field (see [`SignupRefusal::field`])
    /// or, for the last ones, above the form.
    pub enum SignupRefusal {
        NameMissing => "navn-mangler", "signup.err.name_missing";
        NameLong => "navn-for-langt", "signup.err.name_long";
        NameInvalid => "navn-ugyldigt", "signup.err.name_invalid";
        EmailMissing => "email-mangler", "signup.err.email_missing";
        EmailInvalid => "email-ugyldig", "signup.err.email_invalid";
        ContactMissing => "kontakt-mangler", "signup.err.contact_missing";
        PhoneInvalid => "telefon-ugyldigt", "signup.err.phone_invalid";
        PerspectiveInvalid => "perspektiv-ugyldigt", "signup.err.choice_invalid";
        MunicipalityInvalid => "kommune-ugyldig", "signup.err.choice_invalid";
        NeedsLong => "behov-for-langt", "signup.err.needs_long";
        ConsentMissing => "samtykke-mangler", "signup.err.consent_missing";
        BookerNameMissing => "tilmelder-navn-mangler", "signup.err.name_missing";
        BookerNameLong => "tilmelder-navn-for-langt", "signup.err.name_long";
        BookerNameInvalid => "tilmelder-navn-ugyldigt", "signup.err.name_invalid";
        BookerEmailMissing => "tilmelder-email-mangler", "signup.err.email_missing";
        BookerEmailInvalid => "tilmelder-email-ugyldig", "signup.err.email_invalid";
        BookerConsentMissing => "tilmelder-samtykke-mangler", "signup.err.booker_consent_missing";
        RateLimited => "for-mange", "signup.err.rate_limited";
        TryAgain => "proev-igen", "signup.err.try_again";
        RunCancelled => "holdet-er-aflyst", "signup.err.run_cancelled";
        DropIn => "drop-in", "signup.err.drop_in";
        NotOpen => "ikke-aabnet-endnu", "signup.err.not_open";
        Closed => "lukket", "signup.err.closed";
        Full => "holdet-er-fuldt", "signup.err.full";
        Unknown => "ukendt", "error.generic";
    }
}

impl SignupRefusal {
    /// The field the refusal is about, if it is about one.
    pub fn field(self) -> Option<Field> {
        use SignupRefusal::*;
        Some(match self {
            NameMissing | NameLong | NameInvalid => Field::Name,
            EmailMissing | EmailInvalid | ContactMissing => Field::Email,
            PhoneInvalid => Field::Phone,
            PerspectiveInvalid => Field::Perspective,
            MunicipalityInvalid => Field::Municipality,
            NeedsLong => Field::Needs,
            ConsentMissing => Field::Consent,
            BookerNameMissing | BookerNameLong | BookerNameInvalid => Field::BookerName,
            BookerEmailMissing | BookerEmailInvalid => Field::BookerEmail,
            BookerConsentMissing => Field::BookerConsent,
            RateLimited | TryAgain | RunCancelled | DropIn | NotOpen | Closed | Full | Unknown => {
                return None;
            }
        })
    }
}

/// What a perspective answer may be; the values match `entity::Perspective`.
pub const PERSPECTIVES: [&str; 5] = [
    "own_experience",
    "relative",
    "professional",
    "other",
    "undisclosed",
];

/// Denmark's 98 municipalities, for the optional "home municipality" used in statistics.
pub const MUNICIPALITIES: [&str; 98] = [
    "Albertslund",
    "Allerød",
    "Assens",
    "Ballerup",
    "Billund",
    "Bornholm",
    "Brøndby",
    "Brønderslev",
    "Dragør",
    "Egedal",
    "Esbjerg",
    "Fanø",
    "Favrskov",
    "Faxe",
    "Fredensborg",
    "Fredericia",
    "Frederiksberg",
    "Frederikshavn",
    "Frederikssund",
    "Furesø",
    "Faaborg-Midtfyn",
    "Gentofte",
    "Gladsaxe",
    "Glostrup",
    "Greve",
    "Gribskov",
    "Guldborgsund",
    "Haderslev",
    "Halsnæs",
    "Hedensted",
    "Helsingør",
    "Herlev",
    "Herning",
    "Hillerød",
    "Hjørring",
    "Holbæk",
    "Holstebro",
    "Horsens",
    "Hvidovre",
    "Høje-Taastrup",
    "Hørsholm",
    "Ikast-Brande",
    "Ishøj",
    "Jammerbugt",
    "Kalundborg",
    "Kerteminde",
    "Kolding",
    "København",
    "Køge",
    "Langeland",
    "Lejre",
    "Lemvig",
    "Lolland",
    "Lyngby-Taarbæk",
    "Læsø",
    "Mariagerfjord",
    "Middelfart",
    "Morsø",
    "Norddjurs",
    "Nordfyns",
    "Nyborg",
    "Næstved",
    "Odder",
    "Odense",
    "Odsherred",
    "Randers",
    "Rebild",
    "Ringkøbing-Skjern",
    "Ringsted",
    "Roskilde",
    "Rudersdal",
    "Rødovre",
    "Samsø",
    "Silkeborg",
    "Skanderborg",
    "Skive",
    "Slagelse",
    "Solrød",
    "Sorø",
    "Stevns",
    "Struer",
    "Svendborg",
    "Syddjurs",
    "Sønderborg",
    "Thisted",
    "Tønder",
    "Tårnby",
    "Vallensbæk",
    "Varde",
    "Vejen",
    "Vejle",
    "Vesthimmerland",
    "Viborg",
    "Vordingborg",
    "Ærø",
    "Aabenraa",
    "Aalborg",
    "Aarhus",
];

/// A sign-up that passed validation, trimmed and normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSignup {
    pub run_id: i32,
    pub name: String,
    pub email: String,
    /// Trimmed, lower-cased e-mail.
    pub email_key: String,
    pub phone: Option<String>,
    pub perspective: Option<String>,
    pub municipality: Option<String>,
    pub needs: String,
    /// Name and e-mail of whoever signed the person up for them.
    pub booked_by: Option<(String, String)>,
}

/// True for a character that has no place in a name or a one-line field.
fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What is wrong with a name, as the sign-up form judges it: missing, too long or without a
/// letter or digit (or with hidden control characters). `None` for a good name.
pub fn name_problem(value: &str) -> Option<NameProblem> {
    let name = value.trim();
    if name.is_empty() {
        Some(NameProblem::Missing)
    } else if name.chars().count() > NAME_MAX {
        Some(NameProblem::Long)
    } else if name.chars().any(is_control) || !name.chars().any(char::is_alphanumeric) {
        Some(NameProblem::Invalid)
    } else {
        None
    }
}

/// What can be wrong with a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameProblem {
    Missing,
    Long,
    Invalid,
}

fn check_name(
    value: &str,
    [missing, long, invalid]: [SignupRefusal; 3],
    errors: &mut Vec<SignupRefusal>,
) -> String {
    match name_problem(value) {
        Some(NameProblem::Missing) => errors.push(missing),
        Some(NameProblem::Long) => errors.push(long),
        Some(NameProblem::Invalid) => errors.push(invalid),
        None => {}
    }
    value.trim().to_string()
}

/// A phone number as people write it: 8–15 digits, with spaces, `+`, `-` and brackets allowed.
pub fn phone_is_valid(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    phone.chars().count() <= PHONE_MAX
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'))
        && (8..=15).contains(&digits)
}

/// A plain check of an e-mail address's shape: one `@`, a local part, and a domain with a dot
/// and no empty labels. Whether the address exists is for the confirmation e-mail to find out.
pub fn email_is_valid(email: &str) -> bool {
    use email_address::EmailAddress;
    if email.len() > EMAIL_MAX || email.chars().any(|c| c.is_whitespace() || is_control(c)) {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || domain.contains('@')
        || local.contains(['<', '>', '(', ')', '[', ']', ',', ';', ':', '\\', '"'])
    {
        return false;
    }
    // The mailer's own rule (RFC 5322 and 6531, as lettre checks an address), so nothing
    // accepted here is refused when the mail goes out; a domain with æ, ø or å is checked as
    // the mailer sends it, in punycode.
    if !EmailAddress::is_valid_local_part(local)
        || !ascii_domain(domain).is_some_and(|d| EmailAddress::is_valid_domain(&d))
    {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2)
}

/// A domain as it travels (IDNA): labels with letters beyond ASCII lower-cased and written in
/// punycode ("ærø.dk" is "xn--r-1gaz.dk"). `None` when a label cannot be encoded.
fn ascii_domain(domain: &str) -> Option<String> {
    domain
        .split('.')
        .map(|label| {
            if label.is_ascii() {
                Some(label.to_string())
            } else {
                punycode(&label.to_lowercase()).map(|p| format!("xn--{p}"))
            }
        })
        .collect::<Option<Vec<_>>>()
        .map(|labels| labels.join("."))
}

/// Punycode (RFC 3492) of one label.
fn punycode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    fn digit(d: u32) -> char {
        let c = if d < 26 {
            b'a' + d as u8
        } else {
            b'0' + (d - 26) as u8
        };
        char::from(c)
    }
    fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
        delta /= if first { 700 } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    }
    let code_points: Vec<u32> = input.chars().map(u32::from).collect();
    let mut output: String = input.chars().filter(char::is_ascii).collect();
    let basic = output.chars().count() as u32;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias) = (128u32, 0u32, 72u32);
    while (handled as usize) < code_points.len() {
        let m = code_points.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &code_points {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

/// The key bookings and links are found by: trimmed and lower-cased.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The key of a booking without e-mail ("Ingen e-mail – ring"): `tel:` and the number's digits,
/// a Danish number without its +45 or 0045, so "+45 12 34 56 78" and "12345678" are one person
/// and can have one booking per run, as an e-mail address can.
pub fn phone_key(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let plus = phone.trim_start().starts_with('+');
    let national = match digits.len() {
        10 if plus && digits.starts_with("45") => &digits[2..],
        12 if digits.starts_with("0045") => &digits[4..],
        _ => digits.as_str(),
    };
    format!("tel:{national}")
}

/// Whether a booking's key is a phone number's: the person has no e-mail, staff call them.
pub fn is_phone_key(key: &str) -> bool {
    key.starts_with("tel:")
}

fn check_email(
    value: &str,
    [missing, invalid]: [SignupRefusal; 2],
    errors: &mut Vec<SignupRefusal>,
) -> String {
    let email = value.trim();
    if email.is_empty() {
        errors.push(missing);
    } else if !email_is_valid(email) {
        errors.push(invalid);
    }
    email.to_string()
}

/// Checks a posted form. On success the values are trimmed and ready to store; on failure every
/// problem is reported at once, each next to its field.
pub fn validate(form: &SignupForm) -> Result<ValidSignup, Vec<SignupRefusal>> {
    validate_with(form, false)
}

/// Checks a sign-up made by staff for someone (by phone): as [`validate`], but a person without
/// e-mail may be signed up with a phone number alone; the booking is then keyed by the number
/// ([`phone_key`]) and no mail is ever queued for it.
pub fn validate_by_staff(form: &SignupForm) -> Result<ValidSignup, Vec<SignupRefusal>> {
    validate_with(form, true)
}

fn validate_with(form: &SignupForm, phone_only: bool) -> Result<ValidSignup, Vec<SignupRefusal>> {
    use SignupRefusal::*;
    let mut errors = Vec::new();
    let name = check_name(
        &form.name,
        [NameMissing, NameLong, NameInvalid],
        &mut errors,
    );
    let email = if phone_only && form.email.trim().is_empty() {
        if form.phone.trim().is_empty() {
            errors.push(ContactMissing);
        }
        String::new()
    } else {
        check_email(&form.email, [EmailMissing, EmailInvalid], &mut errors)
    };

    let phone = form.phone.trim();
    if !phone.is_empty() && !phone_is_valid(phone) {
        errors.push(PhoneInvalid);
    }

    let perspective = form.perspective.trim();
    if !perspective.is_empty() && !PERSPECTIVES.contains(&perspective) {
        errors.push(PerspectiveInvalid);
    }
    let municipality = form.municipality.trim();
    if !municipality.is_empty() && !MUNICIPALITIES.contains(&municipality) {
        errors.push(MunicipalityInvalid);
    }
    let needs = form.needs.trim();
    if needs.chars().count() > NEEDS_MAX {
        errors.push(NeedsLong);
    }
    if form.consent != "ja" {
        errors.push(ConsentMissing);
    }

    let on_behalf = !form.booker_name.trim().is_empty()
        || !form.booker_email.trim().is_empty()
        || !form.booker_consent.is_empty();
    let booked_by = if on_behalf {
        let booker_name = check_name(
            &form.booker_name,
            [BookerNameMissing, BookerNameLong, BookerNameInvalid],
            &mut errors,
        );
        let booker_email = check_email(
            &form.booker_email,
            [BookerEmailMissing, BookerEmailInvalid],
            &mut errors,
        );
        if form.booker_consent != "ja" {
            errors.push(BookerConsentMissing);
        }
        Some((booker_name, booker_email))
    } else {
        None
    };

    let run_id = form.run.trim().parse::<i32>().ok().filter(|id| *id > 0);
    match run_id {
        Some(run_id) if errors.is_empty() => Ok(ValidSignup {
            run_id,
            email_key: if email.is_empty() {
                phone_key(phone)
            } else {
                email_key(&email)
            },
            name,
            email,
            phone: (!phone.is_empty()).then(|| phone.to_string()),
            perspective: (!perspective.is_empty()).then(|| perspective.to_string()),
            municipality: (!municipality.is_empty()).then(|| municipality.to_string()),
            needs: needs.to_string(),
            booked_by,
        }),
        // A missing run id is not the person's mistake; the page reports it as an unknown run.
        _ => Err(errors),
    }
}

/// Cuts every field to a length that fits in the short-lived cookie that carries a rejected form
/// back to the page, so what was typed is shown again without the cookie growing unbounded.
pub fn trimmed_for_redisplay(form: &SignupForm) -> SignupForm {
    fn cut(s: &str, n: usize) -> String {
        s.chars().take(n).collect()
    }
    SignupForm {
        run: cut(&form.run, 12),
        name: cut(&form.name, NAME_MAX + 10),
        email: cut(&form.email, EMAIL_MAX),
        phone: cut(&form.phone, PHONE_MAX + 10),
        perspective: cut(&form.perspective, 20),
        municipality: cut(&form.municipality, 40),
        needs: cut(&form.needs, NEEDS_MAX + 10),
        consent: cut(&form.consent, 3),
        booker_name: cut(&form.booker_name, NAME_MAX + 10),
        booker_email: cut(&form.booker_email, EMAIL_MAX),
        booker_consent: cut(&form.booker_consent, 3),
        website: String::new(),
        key: cut(&form.key, 64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> SignupForm {
        SignupForm {
            run: "7".into(),
            name: "Åse".into(),
            email: " Aase@Example.DK ".into(),
            consent: "ja".into(),
            ..Default::default()
        }
    }

    #[test]
    fn staff_may_sign_up_a_person_with_a_phone_number_alone() {
        let mut form = good();
        form.email = String::new();
        form.phone = "+45 12 34 56 78".into();
        // The public form always wants an e-mail.
        assert_eq!(
            validate(&form).map(|v| v.email_key),
            Err(vec![SignupRefusal::EmailMissing])
        );
        let valid = validate_by_staff(&form).expect("phone only");
        assert_eq!(valid.email, "");
        assert_eq!(valid.email_key, "tel:12345678");
        assert!(is_phone_key(&valid.email_key));
        // Neither e-mail nor phone: one plain refusal at the e-mail field.
        form.phone = String::new();
        assert_eq!(
            validate_by_staff(&form).map(|v| v.email_key),
            Err(vec![SignupRefusal::ContactMissing])
        );
        // With an e-mail, staff sign-ups are keyed by it as always.
        let valid = validate_by_staff(&good()).expect("e-mail");
        assert_eq!(valid.email_key, "aase@example.dk");
    }

    #[test]
    fn one_number_written_several_ways_is_one_key() {
        for written in [
            "12345678",
            "12 34 56 78",
            "+45 12 34 56 78",
            "0045 12345678",
            "+4512345678",
        ] {
            assert_eq!(phone_key(written), "tel:12345678", "{written}");
        }
        assert_eq!(phone_key("+46 70 123 45 67"), "tel:46701234567");
        assert!(!is_phone_key("tel@example.dk"));
    }

    fn fields(form: &SignupForm) -> Vec<Field> {
        validate(form)
            .err()
            .unwrap_or_default()
            .into_iter()
            .filter_map(SignupRefusal::field)
            .collect()
    }

    #[test]
    fn a_name_and_an_email_are_enough() {
        let v = validate(&good()).expect("valid");
        assert_eq!(v.run_id, 7);
        assert_eq!(v.email, "Aase@Example.DK");
        assert_eq!(v.email_key, "aase@example.dk");
        assert_eq!(v.phone, None);
        assert_eq!(v.booked_by, None);
    }

    #[test]
    fn unicode_names_are_welcome() {
        for name in ["Åse", "Zoë", "李", "Jens-Ole Ø. Ærø"] {
            let form = SignupForm {
                name: name.into(),
                ..good()
            };
            assert_eq!(validate(&form).expect("valid").name, name);
        }
    }

    #[test]
    fn every_problem_is_reported_next_to_its_field() {
        let form = SignupForm {
            name: "  ".into(),
            email: "ikke-en-mail".into(),
            phone: "12".into(),
            needs: "x".repeat(NEEDS_MAX + 1),
            consent: String::new(),
            perspective: "hacker".into(),
            municipality: "Atlantis".into(),
            ..good()
        };
        assert_eq!(
            fields(&form),
            vec![
                Field::Name,
                Field::Email,
                Field::Phone,
                Field::Perspective,
                Field::Municipality,
                Field::Needs,
                Field::Consent
            ]
        );
    }

    #[test]
    fn domains_travel_in_punycode() {
        assert_eq!(punycode("bücher").as_deref(), Some("bcher-kva"));
        assert_eq!(punycode("münchen").as_deref(), Some("mnchen-3ya"));
        // Checked against Python's punycode codec.
        assert_eq!(
            ascii_domain("Blåbær.ærø.dk").as_deref(),
            Some("xn--blbr-roah.xn--r-3fa9c.dk")
        );
        assert_eq!(ascii_domain("example.dk").as_deref(), Some("example.dk"));
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "a@b",
            "@example.dk",
            "a@@example.dk",
            "a b@example.dk",
            "a@example..dk",
            "a@-example.dk",
            "<script>@example.dk",
            "a@example.d",
            "a.@example.dk",
            // A label longer than 63 characters: the mailer refuses it.
            "a@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.dk",
            "a@exa_mple.dk",
        ] {
            assert!(!email_is_valid(bad), "{bad}");
        }
        for ok in [
            "a@example.dk",
            "ole.olsen+kursus@post.example.org",
            "åse@ærø.dk",
        ] {
            assert!(email_is_valid(ok), "{ok}");
        }
    }

    #[test]
    fn oversized_and_control_characters_are_refused() {
        let long = SignupForm {
            name: "a".repeat(NAME_MAX + 1),
            ..good()
        };
        assert_eq!(fields(&long), vec![Field::Name]);
        let hidden = SignupForm {
            name: "Ole\u{202e}".into(),
            ..good()
        };
        assert_eq!(fields(&hidden), vec![Field::Name]);
    }

    #[test]
    fn markup_is_just_text() {
        // Markup in a name is stored as typed and escaped when shown; it is not an error.
        let form = SignupForm {
            name: "<b>Ole</b>".into(),
            needs: "<script>alert(1)</script>".into(),
            ..good()
        };
        let v = validate(&form).expect("valid");
        assert_eq!(v.name, "<b>Ole</b>");
    }

    #[test]
    fn phone_is_optional_but_must_look_like_one() {
        let ok = SignupForm {
            phone: "+45 12 34 56 78".into(),
            ..good()
        };
        assert_eq!(
            validate(&ok).expect("valid").phone.as_deref(),
            Some("+45 12 34 56 78")
        );
        let bad = SignupForm {
            phone: "ring efter kl 10".into(),
            ..good()
        };
        assert_eq!(fields(&bad), vec![Field::Phone]);
    }

    #[test]
    fn signing_up_someone_else_needs_the_bookers_details_and_consent() {
        let partial = SignupForm {
            booker_name: "Mor".into(),
            ..good()
        };
        assert_eq!(
            fields(&partial),
            vec![Field::BookerEmail, Field::BookerConsent]
        );
        let full = SignupForm {
            booker_name: "Mor".into(),
            booker_email: "mor@example.dk".into(),
            booker_consent: "ja".into(),
            ..good()
        };
        assert_eq!(
            validate(&full).expect("valid").booked_by,
            Some(("Mor".into(), "mor@example.dk".into()))
        );
    }

    #[test]
    fn field_refusals_carry_their_field_and_the_rest_none() {
        use crate::rules::forms::Refusal;
        for r in SignupRefusal::ALL {
            let about_a_field = r.field().is_some();
            let form_level = matches!(
                r,
                SignupRefusal::RateLimited
                    | SignupRefusal::TryAgain
                    | SignupRefusal::RunCancelled
                    | SignupRefusal::DropIn
                    | SignupRefusal::NotOpen
                    | SignupRefusal::Closed
                    | SignupRefusal::Full
                    | SignupRefusal::Unknown
            );
            assert_ne!(about_a_field, form_level, "{r:?}");
        }
        assert_eq!(name_problem("  "), Some(NameProblem::Missing));
        assert_eq!(name_problem("Åse"), None);
    }

    #[test]
    fn the_municipality_list_is_complete_and_unique() {
        let mut names = MUNICIPALITIES.to_vec();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 98);
    }
}
