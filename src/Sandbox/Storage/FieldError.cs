using System.Globalization;
using System.Text;

namespace Thoras.Sandbox.Storage;

/// <summary>
/// One invalid field of a request, rendered as k8s.io/apimachinery's <c>field.Error</c>: the cause of a 422 answer
/// (<c>spec.mode: Unsupported value: "x": supported values: "a", "b"</c>).
/// </summary>
internal sealed record FieldError(string Reason, string Field, string Body)
{
    /// <summary>The error as the API server prints it inside the 422 message.</summary>
    public override string ToString() => $"{Field}: {Body}";

    public static FieldError Required(string field, string detail = "") =>
        new("FieldValueRequired", field, WithDetail("Required value", detail));

    public static FieldError Forbidden(string field, string detail) =>
        new("FieldValueForbidden", field, WithDetail("Forbidden", detail));

    public static FieldError Invalid(string field, object? value, string detail) =>
        new("FieldValueInvalid", field, WithDetail($"Invalid value: {Render(value)}", detail));

    public static FieldError TypeInvalid(string field, object? value, string detail) =>
        new("FieldValueTypeInvalid", field, WithDetail($"Invalid value: {Render(value)}", detail));

    public static FieldError NotSupported(string field, object? value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", field, WithDetail($"Unsupported value: {Render(value)}", "supported values: " + string.Join(", ", supported.Select(Quote))));

    public static FieldError TooLong(string field, int limit) =>
        new("FieldValueTooLong", field, $"Too long: may not be more than {limit.ToString(CultureInfo.InvariantCulture)} bytes");

    public static FieldError TooMany(string field, int actual, int limit) =>
        new("FieldValueTooMany", field, $"Too many: {actual.ToString(CultureInfo.InvariantCulture)}: must have at most {limit.ToString(CultureInfo.InvariantCulture)} items");

    public static FieldError Duplicate(string field, object? value) =>
        new("FieldValueDuplicate", field, $"Duplicate value: {Render(value)}");

    /// <summary>Go's <c>%q</c> of a string: the quoting the API server uses for bad values.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private static string Render(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        bool b => b ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    private static string WithDetail(string body, string detail) => detail.Length == 0 ? body : $"{body}: {detail}";
}
