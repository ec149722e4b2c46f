namespace CitationService.Core.Model;

/// <summary>
/// A Pith hub address reduced to its hub: <c>https://pith.science/citations/&lt;uuid&gt;</c>, with or without
/// <c>www.</c> or a scheme, with a trailing slash, a <c>.json</c> or <c>/citers.json</c> suffix, a query
/// (a filtered view: <c>?cat=cs.LG&amp;year=2021</c>) or a fragment, all name the same hub.
/// </summary>
/// <param name="HubUuid">The hub's uuid, lower-case.</param>
/// <param name="Filter">The view's filter: the query's parameters sorted by name, <c>name=value</c> joined by
/// <c>&amp;</c>; empty for the whole hub.</param>
public sealed record PithAddress(string HubUuid, string Filter)
{
    private const string PathPrefix = "/citations/";
    private const int UuidLength = 36;

    /// <summary>The hub's address in one spelling, without filter.</summary>
    public string CanonicalUrl => ForUuid(HubUuid);

    /// <summary>True when the address shows a subset of the hub's citing papers.</summary>
    public bool IsFiltered => Filter.Length > 0;

    /// <summary>The canonical address of the hub with <paramref name="uuid"/>.</summary>
    public static string ForUuid(string uuid) => "https://pith.science" + PathPrefix + uuid;

    /// <summary>Reads a Pith hub address; null when <paramref name="url"/> is not one.</summary>
    public static PithAddress? TryParse(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }
        var text = url.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd >= 0 ? text[(schemeEnd + 3)..] : text;
        if (schemeEnd >= 0 && !IsHttpScheme(text[..schemeEnd]))
        {
            return null;
        }

        var fragment = rest.IndexOf('#');
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }
        var queryStart = rest.IndexOf('?');
        var query = queryStart >= 0 ? rest[(queryStart + 1)..] : "";
        var hostAndPath = queryStart >= 0 ? rest[..queryStart] : rest;

        var pathStart = hostAndPath.IndexOf('/');
        if (pathStart <= 0 || !IsPithHost(hostAndPath[..pathStart]))
        {
            return null;
        }
        var path = hostAndPath[pathStart..];
        if (!path.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase) || path.Length < PathPrefix.Length + UuidLength)
        {
            return null;
        }
        var uuid = path.Substring(PathPrefix.Length, UuidLength);
        var suffix = path[(PathPrefix.Length + UuidLength)..];
        if (!Guid.TryParseExact(uuid, "D", out _) || !IsHubSuffix(suffix))
        {
            return null;
        }
        return new PithAddress(uuid.ToLowerInvariant(), NormalizeQuery(query));
    }

    private static bool IsHttpScheme(string scheme) =>
        scheme.Equals("https", StringComparison.OrdinalIgnoreCase) || scheme.Equals("http", StringComparison.OrdinalIgnoreCase);

    // The host, with a port if any (so "pith.science:a=b" is no Pith host).
    private static bool IsPithHost(string host)
    {
        var colon = host.IndexOf(':');
        var name = colon >= 0 ? host[..colon] : host;
        return (name.Equals("pith.science", StringComparison.OrdinalIgnoreCase)
                || name.Equals("www.pith.science", StringComparison.OrdinalIgnoreCase))
            && (colon < 0 || IsPort(host.AsSpan(colon + 1)));
    }

    // 1 to 5 digits.
    private static bool IsPort(ReadOnlySpan<char> text) =>
        text.Length is >= 1 and <= 5 && !text.ContainsAnyExceptInRange('0', '9');

    // The hub page itself, its JSON form and its citing papers' JSON form.
    private static bool IsHubSuffix(string suffix) =>
        suffix is "" or "/"
        || suffix.Equals(".json", StringComparison.OrdinalIgnoreCase)
        || suffix.Equals("/citers.json", StringComparison.OrdinalIgnoreCase);

    // Parameters sorted by name (then value) so "?year=2021&cat=cs.LG" and "?cat=cs.LG&year=2021" are one view;
    // empty parameters ("?cat=") and paging or tracking parameters do not filter.
    private static string NormalizeQuery(string query)
    {
        var parameters = new List<(string Name, string Value)>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            var name = Unescape(equals >= 0 ? part[..equals] : part).Trim().ToLowerInvariant();
            var value = Unescape(equals >= 0 ? part[(equals + 1)..] : "").Trim();
            if (name.Length == 0 || value.Length == 0 || IgnoredParameter(name))
            {
                continue;
            }
            parameters.Add((name, value));
        }
        parameters.Sort((a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', parameters.Select(p => p.Name + "=" + p.Value));
    }

    private static bool IgnoredParameter(string name) =>
        name.StartsWith("utm_", StringComparison.Ordinal) || name is "page" or "ref";

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
