using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Thoras.Sandbox.Storage;

/// <summary>
/// A Kubernetes JSONPath expression (the language of <c>kubectl get -o jsonpath</c> and of a CRD's
/// <c>additionalPrinterColumns</c>), evaluated as client-go's <c>util/jsonpath</c> evaluates it with missing keys
/// allowed: fields (<c>.a.b</c>, <c>['a.b']</c>, <c>a\.b</c>), <c>*</c>, recursive descent (<c>..a</c>), indexes and
/// slices (<c>[0]</c>, <c>[-1]</c>, <c>[1:3:2]</c>), unions (<c>[0,2]</c>, <c>['a','b']</c>) and filters
/// (<c>[?(@.type=="Ready")]</c> with <c>== != &lt; &gt; &lt;= &gt;=</c>, or <c>[?(@.a)]</c> for presence).
/// </summary>
internal sealed partial class JsonPathExpression
{
    private readonly IReadOnlyList<Step> steps;

    private JsonPathExpression(IReadOnlyList<Step> steps) => this.steps = steps;

    /// <summary>Parses an expression, with or without the surrounding braces of a template.</summary>
    /// <exception cref="FormatException">The expression is not valid JSONPath.</exception>
    public static JsonPathExpression Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = expression.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
            text = text[1..^1];
        return new JsonPathExpression(new Parser(text).Path());
    }

    /// <summary>
    /// The values the expression selects from <paramref name="root"/>, in order (a JSON <c>null</c> is a null entry),
    /// or null when evaluation fails as client-go's fails: an index out of bounds, an index or filter applied to what
    /// is not a list, a comparison of values of different types.
    /// </summary>
    public IReadOnlyList<JsonNode?>? Evaluate(JsonNode? root)
    {
        try
        {
            return Run(steps, [root]);
        }
        catch (JsonPathEvaluationException)
        {
            return null;
        }
    }

    private static List<JsonNode?> Run(IEnumerable<Step> path, List<JsonNode?> input)
    {
        var current = input;
        foreach (var step in path)
            current = step.Apply(current);
        return current;
    }

    /// <summary>Client-go's text form of a selected value (<c>PrintResults</c>): strings raw, lists and objects as JSON,
    /// numbers and booleans as Go prints them.</summary>
    public static string Text(JsonNode node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => Number(value) switch
        {
            long integer => integer.ToString(CultureInfo.InvariantCulture),
            var real => GoFloat(Convert.ToDouble(real, CultureInfo.InvariantCulture)),
        },
        _ => node.ToJsonString(),
    };

    /// <summary>A JSON number as the API server decodes it: an integer (long) when it has no fraction or exponent, else a double.</summary>
    public static object Number(JsonValue value)
    {
        var raw = value.ToJsonString();
        return raw.AsSpan().IndexOfAny(".eE") < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
            ? integer
            : double.Parse(raw, CultureInfo.InvariantCulture);
    }

    /// <summary>Go's <c>%v</c> of a float64 (strconv's shortest <c>%g</c>): exponent form below 1e-4 or from 1e6 on.</summary>
    private static string GoFloat(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "+Inf" : "-Inf";
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var scientific = value.ToString("E16", CultureInfo.InvariantCulture);
        var exponent = int.Parse(scientific[(scientific.IndexOf('E') + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (value == 0 || (exponent >= -4 && exponent < 6))
            return shortest;
        var digits = shortest.Replace("-", "", StringComparison.Ordinal).Split('E')[0].Replace(".", "", StringComparison.Ordinal).Trim('0');
        var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
        return $"{(value < 0 ? "-" : "")}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
    }

    private sealed class JsonPathEvaluationException(string message) : Exception(message);

    private abstract record Step
    {
        public abstract List<JsonNode?> Apply(List<JsonNode?> input);
    }

    private sealed record Field(string Name) : Step
    {
        public override List<JsonNode?> Apply(List<JsonNode?> input)
        {
            var results = new List<JsonNode?>();
            foreach (var value in input)
            {
                if (value is JsonObject obj && obj.TryGetPropertyValue(Name, out var child))
                    results.Add(child);
            }

            return results;
        }
    }

    private sealed record Wildcard : Step
    {
        public override List<JsonNode?> Apply(List<JsonNode?> input)
        {
            var results = new List<JsonNode?>();
            foreach (var value in input)
            {
                if (value is JsonObject obj)
                    results.AddRange(obj.Select(p => p.Value));
                else if (value is JsonArray array)
                    results.AddRange(array);
            }

            return results;
        }
    }

    private sealed record Recursive : Step
    {
        public override List<JsonNode?> Apply(List<JsonNode?> input)
        {
            var results = new List<JsonNode?>();
            foreach (var value in input)
            {
                var children = value switch
                {
                    JsonObject obj => obj.Select(p => p.Value).ToList(),
                    JsonArray array => [.. array],
                    _ => [],
                };
                if (children.Count == 0)
                    continue;
                results.Add(value);
                results.AddRange(Apply(children));
            }

            return results;
        }
    }

    /// <summary>An index (<c>[2]</c>, an end derived as start + 1) or a slice (<c>[start:end:step]</c>).</summary>
    private sealed record Slice(int? Start, int? End, int? Stride, bool Single) : Step
    {
        public override List<JsonNode?> Apply(List<JsonNode?> input)
        {
            var results = new List<JsonNode?>();
            foreach (var value in input)
            {
                if (value is null)
                    continue;
                if (value is not JsonArray array)
                    throw new JsonPathEvaluationException("not array or slice");
                var length = array.Count;
                var start = Start ?? 0;
                if (start < 0)
                    start += length;
                var end = End ?? length;
                if (end < 0 || (Single && end == 0))
                    end += length;
                if (end == start)
                    continue;
                if (start >= length || start < 0 || end > length || end < 0)
                    throw new JsonPathEvaluationException("array index out of bounds");
                if (start > end)
                    throw new JsonPathEvaluationException("starting index is greater than ending index");
                var stride = Stride ?? 1;
                if (stride <= 0)
                    throw new JsonPathEvaluationException("step must be greater than 0");
                for (var i = start; i < end; i += stride)
                    results.Add(array[i]);
            }

            return results;
        }
    }

    private sealed record Union(IReadOnlyList<IReadOnlyList<Step>> Alternatives) : Step
    {
        public override List<JsonNode?> Apply(List<JsonNode?> input) =>
            [.. Alternatives.SelectMany(alternative => Run(alternative, input))];
    }

    /// <summary>One side of a filter's comparison: a path from the element, or a literal.</summary>
    private sealed record Operand(IReadOnlyList<Step>? Path, JsonNode? Literal)
    {
        public List<JsonNode?> Values(JsonNode? element) => Path is null ? [Literal] : Run(Path, [element]);
    }

    private sealed record Filter(Operand Left, string Operator, Operand? Right) : Step
    {
        public override List<JsonNode?> Apply(List<JsonNode?> input)
        {
            var results = new List<JsonNode?>();
            foreach (var value in input)
            {
                if (value is null)
                    continue;
                if (value is not JsonArray array)
                    throw new JsonPathEvaluationException("not array or slice and cannot be filtered");
                foreach (var element in array)
                {
                    var lefts = Left.Values(element);
                    if (Right is null)
                    {
                        if (lefts.Count > 0)
                            results.Add(element);
                        continue;
                    }

                    if (lefts.Count == 0)
                        continue;
                    var rights = Right.Values(element);
                    if (rights.Count == 0)
                        continue;
                    if (lefts.Count > 1 || rights.Count > 1)
                        throw new JsonPathEvaluationException("can only compare one element at a time");
                    if (Compare(lefts[0], rights[0]))
                        results.Add(element);
                }
            }

            return results;
        }

        /// <summary>Go template comparison: both sides of one basic kind (integers, floats, strings, booleans), else an error.</summary>
        private bool Compare(JsonNode? left, JsonNode? right)
        {
            var (a, b) = (Basic(left), Basic(right));
            if (a.GetType() != b.GetType())
                throw new JsonPathEvaluationException("incompatible types for comparison");
            if (a is bool x && b is bool y)
            {
                return Operator switch
                {
                    "==" => x == y,
                    "!=" => x != y,
                    _ => throw new JsonPathEvaluationException("invalid type for comparison"),
                };
            }

            var order = a switch
            {
                long l => l.CompareTo((long)b),
                double d => d.CompareTo((double)b),
                _ => string.CompareOrdinal((string)a, (string)b),
            };
            return Operator switch
            {
                "==" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                ">" => order > 0,
                "<=" => order <= 0,
                _ => order >= 0,
            };
        }

        private static object Basic(JsonNode? node) => node is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number => Number(value),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new JsonPathEvaluationException("invalid type for comparison"),
            }
            : throw new JsonPathEvaluationException("invalid type for comparison");
    }

    [GeneratedRegex(@"^(-?\d+)?(?:(:)(-?\d+)?)?(?::(-?\d+)?)?$")]
    private static partial Regex SliceSyntax();

    [GeneratedRegex(@"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")]
    private static partial Regex NumberSyntax();

    /// <summary>Reads an expression left to right into steps.</summary>
    private sealed class Parser(string text)
    {
        private const string Terminators = ".[]()=!<>, \t'\"@$";
        private int at;

        public List<Step> Path()
        {
            var steps = new List<Step>();
            while (at < text.Length)
            {
                var c = text[at];
                if (c is '$' or '@' or ' ' or '\t')
                {
                    at++;
                }
                else if (text.AsSpan(at).StartsWith(".."))
                {
                    at += 2;
                    steps.Add(new Recursive());
                    if (at < text.Length && text[at] != '[')
                        steps.Add(Name());
                }
                else if (c == '.')
                {
                    at++;
                    if (at < text.Length && text[at] != '[')
                        steps.Add(Name());
                }
                else if (c == '[')
                {
                    steps.Add(Bracket());
                }
                else if (steps.Count == 0 && at == 0)
                {
                    // client-go also takes a path without its leading dot (`spec.replicas`).
                    steps.Add(Name());
                }
                else
                {
                    throw new FormatException($"unrecognized character in action: {c}");
                }
            }

            return steps;
        }

        private Step Name()
        {
            if (text[at] == '*')
            {
                at++;
                return new Wildcard();
            }

            var name = new StringBuilder();
            while (at < text.Length && !Terminators.Contains(text[at], StringComparison.Ordinal))
            {
                if (text[at] == '\\' && at + 1 < text.Length)
                    at++;
                name.Append(text[at++]);
            }

            return name.Length == 0 ? throw new FormatException($"invalid field name at {at} in {text}") : new Field(name.ToString());
        }

        private Step Bracket()
        {
            var close = Closing(at);
            var inside = text[(at + 1)..close].Trim();
            at = close + 1;
            if (inside.StartsWith('?'))
                return FilterOf(inside[1..].Trim());
            if (inside == "*")
                return new Wildcard();
            var parts = SplitTopLevel(inside, ',');
            if (parts.Count > 1)
                return new Union([.. parts.Select(p => (IReadOnlyList<Step>)new Parser($"[{p.Trim()}]").Path())]);
            if (inside.Length >= 2 && inside[0] == '\'' && inside[^1] == '\'')
                return new Field(inside[1..^1]);
            var slice = SliceSyntax().Match(inside);
            if (!slice.Success || inside.Length == 0)
                throw new FormatException($"invalid array index {inside}");
            int? Int(Group g) => g.Success ? int.Parse(g.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;
            var single = !slice.Groups[2].Success;
            var start = Int(slice.Groups[1]);
            return single
                ? new Slice(start, start + 1, null, Single: true)
                : new Slice(start, Int(slice.Groups[3]), Int(slice.Groups[4]), Single: false);
        }

        private Filter FilterOf(string inside)
        {
            if (!inside.StartsWith('(') || !inside.EndsWith(')'))
                throw new FormatException($"unclosed filter in {text}");
            var body = inside[1..^1];
            var (index, op) = OperatorOf(body);
            if (op is null)
                return new Filter(OperandOf(body), "exists", null);
            return new Filter(OperandOf(body[..index]), op, OperandOf(body[(index + op.Length)..]));
        }

        private static (int Index, string? Operator) OperatorOf(string body)
        {
            char? quote = null;
            for (var i = 0; i < body.Length; i++)
            {
                var c = body[i];
                if (quote is { } q)
                {
                    if (c == '\\')
                        i++;
                    else if (c == q)
                        quote = null;
                    continue;
                }

                if (c is '"' or '\'')
                {
                    quote = c;
                    continue;
                }

                foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
                {
                    if (body.AsSpan(i).StartsWith(op))
                        return (i, op);
                }
            }

            return (-1, null);
        }

        private static Operand OperandOf(string raw)
        {
            var operand = raw.Trim();
            if (operand.Length >= 2 && operand[0] is '"' or '\'' && operand[^1] == operand[0])
                return new Operand(null, Unquote(operand));
            if (NumberSyntax().IsMatch(operand))
                return new Operand(null, JsonNode.Parse(operand));
            if (operand is "true" or "false")
                return new Operand(null, JsonValue.Create(operand == "true"));
            if (operand.Length == 0)
                throw new FormatException("a filter needs an operand on each side of its operator");
            return new Operand(new Parser(operand).Path(), null);
        }

        private static string Unquote(string quoted)
        {
            var result = new StringBuilder();
            for (var i = 1; i < quoted.Length - 1; i++)
            {
                var c = quoted[i];
                if (c == '\\' && i + 1 < quoted.Length - 1)
                {
                    c = quoted[++i] switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        var other => other,
                    };
                }

                result.Append(c);
            }

            return result.ToString();
        }

        /// <summary>The index of the bracket that closes the one at <paramref name="open"/>, past quotes and nested brackets.</summary>
        private int Closing(int open)
        {
            var depth = 0;
            char? quote = null;
            for (var i = open; i < text.Length; i++)
            {
                var c = text[i];
                if (quote is { } q)
                {
                    if (c == '\\')
                        i++;
                    else if (c == q)
                        quote = null;
                }
                else if (c is '"' or '\'')
                {
                    quote = c;
                }
                else if (c is '[' or '(')
                {
                    depth++;
                }
                else if (c is ']' or ')' && --depth == 0)
                {
                    return i;
                }
            }

            throw new FormatException($"unclosed array expect ] in {text}");
        }

        private static List<string> SplitTopLevel(string value, char separator)
        {
            var parts = new List<string>();
            var (depth, start) = (0, 0);
            char? quote = null;
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (quote is { } q)
                {
                    if (c == q)
                        quote = null;
                }
                else if (c is '"' or '\'')
                {
                    quote = c;
                }
                else if (c is '[' or '(')
                {
                    depth++;
                }
                else if (c is ']' or ')')
                {
                    depth--;
                }
                else if (c == separator && depth == 0)
                {
                    parts.Add(value[start..i]);
                    start = i + 1;
                }
            }

            parts.Add(value[start..]);
            return parts;
        }
    }
}
