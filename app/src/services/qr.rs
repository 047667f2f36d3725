//! QR codes as SVG images: the authenticator app's set-up link, and a run's sign-up page in
//! the printed prospectus.

/// The QR code of `text` as an SVG image, dark on light, at least `size` pixels wide.
pub fn svg(text: &str, size: u32) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(size, size)
            .dark_color(qrcode::render::svg::Color("#1f2a30"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}
