using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Network.CaptivePortal.Portal;

/// <summary>A piece of markup that is already safe to write as it is.</summary>
public readonly record struct Html(string Value)
{
    /// <summary>Markup from an interpolated string whose holes are encoded, unless they are <see cref="Html"/> themselves.</summary>
    public static Html Of([InterpolatedStringHandlerArgument] ref HtmlHandler markup) => new(markup.ToStringAndClear());

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static Html Empty { get; } = new("");

    public override string ToString() => Value;
}

/// <summary>
/// Builds <see cref="Html"/>: literal parts go out as written, every hole is HTML-encoded (text and attribute values
/// alike) except <see cref="Html"/> values. Forgetting to encode is impossible by construction.
/// </summary>
[InterpolatedStringHandler]
public ref struct HtmlHandler
{
    private static readonly HtmlEncoder s_encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly StringBuilder _builder;

    public HtmlHandler(int literalLength, int formattedCount)
    {
        _builder = new StringBuilder(literalLength + (formattedCount * 16));
    }

    public readonly void AppendLiteral(string literal) => _builder.Append(literal);

    public readonly void AppendFormatted(Html markup) => _builder.Append(markup.Value);

    public readonly void AppendFormatted(IEnumerable<Html> parts)
    {
        foreach (Html part in parts)
        {
            _builder.Append(part.Value);
        }
    }

    public readonly void AppendFormatted(string? text) => _builder.Append(s_encoder.Encode(text ?? ""));

    public readonly void AppendFormatted<T>(T value) =>
        _builder.Append(s_encoder.Encode(Convert.ToString(value, CultureInfo.CurrentCulture) ?? ""));

    public readonly string ToStringAndClear()
    {
        string result = _builder.ToString();
        _builder.Clear();
        return result;
    }
}
