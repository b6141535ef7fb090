using System.Net;
using System.Text.RegularExpressions;

namespace Bff.Testing.Http;

/// <summary>
/// A form read out of an HTML page: enough of a browser to submit login forms, form_post responses and Razor
/// Pages forms (hidden antiforgery fields included). Regex-based, for the pages this solution renders.
/// </summary>
public sealed partial class HtmlForm
{
    private HtmlForm(string? id, string method, Uri action, List<KeyValuePair<string, string>> fields)
    {
        Id = id;
        Method = method;
        Action = action;
        Fields = fields;
    }

    /// <summary>The form's id attribute, if any.</summary>
    public string? Id { get; }

    /// <summary>GET or POST (upper case).</summary>
    public string Method { get; }

    /// <summary>The absolute URI the form submits to (the page's own URI when action is empty).</summary>
    public Uri Action { get; }

    /// <summary>Named inputs with their current values, in document order (unchecked checkboxes and buttons left out).</summary>
    public List<KeyValuePair<string, string>> Fields { get; }

    /// <summary>Whether every input is hidden, as on a form_post response page.</summary>
    public bool HasOnlyHiddenInputs { get; private init; }

    /// <summary>The value of a field, or null.</summary>
    public string? this[string name] => Fields.FirstOrDefault(f => f.Key == name).Value;

    /// <summary>Sets (or adds) a field's value.</summary>
    public HtmlForm Set(string name, string value)
    {
        Fields.RemoveAll(f => f.Key == name);
        Fields.Add(new(name, value));
        return this;
    }

    /// <summary>All forms of a page.</summary>
    public static IReadOnlyList<HtmlForm> ParseAll(string html, Uri pageUri)
    {
        var forms = new List<HtmlForm>();
        foreach (Match form in FormRegex().Matches(html))
        {
            var attributes = Attributes(form.Groups["attrs"].Value);
            var action = attributes.GetValueOrDefault("action");
            var fields = new List<KeyValuePair<string, string>>();
            var onlyHidden = true;
            foreach (Match input in InputRegex().Matches(form.Groups["body"].Value))
            {
                var input_ = Attributes(input.Groups["attrs"].Value);
                var type = input_.GetValueOrDefault("type", "text").ToLowerInvariant();
                onlyHidden &= type is "hidden" or "submit";
                if (!input_.TryGetValue("name", out var name) || type is "submit" or "button" or "image"
                    || (type is "checkbox" or "radio" && !input_.ContainsKey("checked")))
                {
                    continue;
                }

                fields.Add(new(name, input_.GetValueOrDefault("value", type is "checkbox" ? "on" : string.Empty)));
            }

            forms.Add(new HtmlForm(
                attributes.GetValueOrDefault("id"),
                attributes.GetValueOrDefault("method", "get").ToUpperInvariant(),
                string.IsNullOrEmpty(action) ? pageUri : new Uri(pageUri, action),
                fields) { HasOnlyHiddenInputs = onlyHidden });
        }

        return forms;
    }

    /// <summary>The form with that id, or the first form when <paramref name="id"/> is null; throws if there is none.</summary>
    public static HtmlForm Parse(string html, Uri pageUri, string? id = null) =>
        ParseAll(html, pageUri).FirstOrDefault(f => id is null || f.Id == id)
        ?? throw new InvalidOperationException($"No form{(id is null ? string.Empty : $" '{id}'")} on {pageUri}:\n{html}");

    /// <summary>The form with that id (or the first) of a response's page; throws if there is none.</summary>
    public static async Task<HtmlForm> ParseAsync(HttpResponseMessage page, string? id = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        return Parse(await page.Content.ReadAsStringAsync(cancellationToken), page.RequestMessage!.RequestUri!, id);
    }

    /// <summary>The request a browser would send for this form.</summary>
    public HttpRequestMessage CreateRequest()
    {
        if (Method == "GET")
        {
            var query = string.Join('&', Fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
            return new HttpRequestMessage(HttpMethod.Get, new UriBuilder(Action) { Query = query }.Uri);
        }

        return new HttpRequestMessage(HttpMethod.Post, Action) { Content = new FormUrlEncodedContent(Fields) };
    }

    private static Dictionary<string, string> Attributes(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match attribute in AttributeRegex().Matches(text))
        {
            var value = attribute.Groups["dq"].Success ? attribute.Groups["dq"].Value
                : attribute.Groups["sq"].Success ? attribute.Groups["sq"].Value
                : attribute.Groups["bare"].Value;
            result.TryAdd(attribute.Groups["name"].Value, WebUtility.HtmlDecode(value));
        }

        return result;
    }

    [GeneratedRegex(@"<form\b(?<attrs>[^>]*)>(?<body>.*?)</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex FormRegex();

    [GeneratedRegex(@"<input\b(?<attrs>[^>]*)/?>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex InputRegex();

    [GeneratedRegex(@"(?<name>[\w:-]+)(?:\s*=\s*(?:""(?<dq>[^""]*)""|'(?<sq>[^']*)'|(?<bare>[^\s>]+)))?", RegexOptions.Singleline)]
    private static partial Regex AttributeRegex();
}
