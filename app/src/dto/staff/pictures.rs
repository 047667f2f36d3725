//! The picture forms on the course editor and the teacher profile.

crate::refusals! {
    /// Why a picture was not saved.
    pub enum PictureRefusal {
        Missing => "billede-mangler", "staff.image.err.missing";
        Type => "billede-type", "staff.image.err.type";
        TooLarge => "billede-stor", "staff.image.err.size";
        Unreadable => "billede-laes", "staff.image.err.read";
        AltMissing => "alt", "staff.courses.err.alt";
        AltLong => "alt-lang", "staff.courses.err.alt_long";
    }
}
