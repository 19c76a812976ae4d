"""One Pango context and font description per text style in a WeasyPrint render (issue 13).

WeasyPrint 70.0 builds a new Pango context, language and font description for every piece of text
it measures or draws (text.line_break.Layout.setup): a 1,000-line notice does it about 13,000 times
for five styles, a tenth of its render. LayoutSetup keeps them per style on the render's
FontConfiguration (so they live as long as that render) and gives each text its own PangoLayout on
the shared context, as Pango intends. Texts with decorations, font features or a language override
take WeasyPrint's own path, as does any other WeasyPrint version (the pin is in requirements.txt;
tests/publicity/test_notice_pdf_styles.py compares pages with and without this pixel for pixel)."""

import weasyprint
from weasyprint.text import line_break
from weasyprint.text.constants import PANGO_DIRECTION
from weasyprint.text.ffi import ffi, gobject, pango, unicode_to_char_p
from weasyprint.text.fonts import font_features, get_font_description

ORIGINAL_SETUP = line_break.Layout.setup
# font_features' arguments, in its order
_FEATURES = (
    "font_kerning", "font_variant_ligatures", "font_variant_position", "font_variant_caps", "font_variant_numeric",
    "font_variant_alternates", "font_variant_east_asian", "font_feature_settings",
)  # fmt: skip

# every property Layout.setup reads
_KEYS = (
    "direction", "lang", "font_language_override", "text_decoration_line", "font_family", "font_style",
    "font_stretch", "font_weight", "font_size", "font_variant_caps", "font_variation_settings", "font_kerning",
    "font_variant_ligatures", "font_variant_position", "font_variant_numeric", "font_variant_alternates",
    "font_variant_east_asian", "font_feature_settings",
)  # fmt: skip


def _shared(style):
    """(context, font description, language) for this style, or None for WeasyPrint's own path."""
    features = font_features(*(style[name] for name in _FEATURES))
    if style["text_decoration_line"] != "none" or style["font_language_override"] != "normal" or features:
        return None
    context = ffi.gc(pango.pango_font_map_create_context(style.font_config.font_map), gobject.g_object_unref)
    pango.pango_context_set_round_glyph_positions(context, False)
    pango.pango_context_set_base_dir(context, PANGO_DIRECTION[style["direction"]])
    if style["lang"]:
        lang_p, _ = unicode_to_char_p(style["lang"])
        language = pango.pango_language_from_string(lang_p)
        pango.pango_context_set_language(context, language)
    else:
        language = pango.pango_language_get_default()
    return context, get_font_description(style), language


def setup(self, style):
    """Layout.setup with the context, language and font description shared per style."""
    try:
        key = tuple(style[name] for name in _KEYS)
        cache = vars(style.font_config).setdefault("_shared_layout_setup", {})
        shared = cache[key] if key in cache else cache.setdefault(key, _shared(style))
    except TypeError:  # a value that cannot be a key
        shared = None
    if shared is None:
        return ORIGINAL_SETUP(self, style)
    context, font_description, self.language = shared
    self.style = style
    self.first_line_direction = 0
    self.layout = ffi.gc(pango.pango_layout_new(context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(self.layout, False)
    pango.pango_layout_set_font_description(self.layout, font_description)  # Pango copies it
    self.ascent = self.underline_position = self.strikethrough_position = None


def install() -> bool:
    if weasyprint.__version__ != "70.0":
        return False
    line_break.Layout.setup = setup
    return True
