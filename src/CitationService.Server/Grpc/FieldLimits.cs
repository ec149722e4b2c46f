using CitationService.Contracts.V1;
using CitationService.Core.Pages;

namespace CitationService.Server.Grpc;

/// <summary>
/// The longest value each request field may hold, in characters (repeated fields: entries), checked
/// before a handler reads anything else; the proto comments and the README's "Limits" section state the
/// same numbers. A value over its limit is INVALID_ARGUMENT, and no error message quotes more of a
/// client's value than <see cref="Quote"/> gives: a long quote in the grpc-message trailer stalls the
/// HTTP/2 connection the call shares with others.
/// </summary>
internal static class FieldLimits
{
    /// <summary>hub_id, citing_paper_id: ids are "hub_" / "cp_" and 16 hex digits.</summary>
    public const int Id = 128;
    /// <summary>A title to look a hub up by: no stored title is longer.</summary>
    public const int Title = PageLimits.Title;
    public const int ArxivId = 64;
    public const int Doi = 256;
    public const int SourceUrl = 2_048;
    /// <summary>YYYY-MM-DD.</summary>
    public const int Date = 10;
    /// <summary>title_query, text_contains.</summary>
    public const int TextQuery = 500;
    /// <summary>An arXiv primary category, e.g. "physics.comp-ph".</summary>
    public const int Category = 64;
    public const int PageToken = 4_096;
    /// <summary>Entries of a repeated enum field (tasks, roles, polarities).</summary>
    public const int EnumList = 16;
    public const int ClassifyText = PageLimits.Summary;
    /// <summary>A HubContext's title, abstract and tier label together (each is also within its page limit).</summary>
    public const int HubContext = 20_000;
    public const int CorrelationId = 256;
    /// <summary>A whole page: the gRPC message limit, so the check only names the field.</summary>
    public const int PageText = ServerExtensions.MaxReceiveMessageSize;

    private const int QuotedCharacters = 64;

    public static void Check(GetHubRequest request)
    {
        Check(request.HubId, Id, "hub_id");
        Check(request.Title, Title, "title");
        Check(request.ArxivId, ArxivId, "arxiv_id");
        Check(request.Doi, Doi, "doi");
        Check(request.SourceUrl, SourceUrl, "source_url");
    }

    public static void Check(ListHubsRequest request)
    {
        Check(request.PageToken, PageToken, "page_token");
        Check(request.TitleQuery, TextQuery, "title_query");
    }

    public static void Check(GetHubSummaryRequest request) => Check(request.HubId, Id, "hub_id");

    public static void Check(GetCitingPaperRequest request) => Check(request.CitingPaperId, Id, "citing_paper_id");

    public static void Check(ListCitingPapersRequest request)
    {
        Check(request.HubId, Id, "hub_id");
        Check(request.Filter, "filter");
        Check(request.PageToken, PageToken, "page_token");
    }

    public static void Check(StreamCitingPapersRequest request)
    {
        Check(request.HubId, Id, "hub_id");
        Check(request.Filter, "filter");
    }

    public static void Check(IngestHubPageRequest request)
    {
        Check(request.PageText, PageText, "page_text");
        Check(request.SourceUrl, SourceUrl, "source_url");
    }

    /// <summary>Checks one Classify request; <paramref name="prefix"/> prefixes the field names, e.g. "requests[3].request.".</summary>
    public static void Check(ClassifyRequest request, string prefix)
    {
        Check(request.Text, ClassifyText, prefix + "text");
        Check(request.Tasks.Count, prefix + "tasks");
        Check(request.HubId, Id, prefix + "hub_id");
        if (request.HubContext is { } hub)
        {
            Check(hub.Title, PageLimits.Title, prefix + "hub_context.title");
            Check(hub.Abstract, PageLimits.Abstract, prefix + "hub_context.abstract");
            Check(hub.TierLabel, PageLimits.TierLabel, prefix + "hub_context.tier_label");
            if (hub.Title.Length + hub.Abstract.Length + hub.TierLabel.Length > HubContext)
            {
                throw RpcErrors.InvalidArgument(prefix + "hub_context", $"title, abstract and tier label exceed {HubContext} characters together");
            }
        }
    }

    public static void Check(ClassifyStreamRequest request, string prefix)
    {
        Check(request.CorrelationId, CorrelationId, prefix + "correlation_id");
        if (request.Request is { } inner)
        {
            Check(inner, prefix + "request.");
        }
    }

    /// <summary>A client's value for an error message: whole up to 64 characters, else its start, "…" and its length.</summary>
    public static string Quote(string value)
    {
        if (value.Length <= QuotedCharacters)
        {
            return $"'{value}'";
        }
        // Never cut a surrogate pair in two.
        var cut = char.IsHighSurrogate(value[QuotedCharacters - 1]) ? QuotedCharacters - 1 : QuotedCharacters;
        return $"'{value[..cut]}…' ({value.Length} characters)";
    }

    private static void Check(CitingPaperFilter? filter, string field)
    {
        if (filter is null)
        {
            return;
        }
        Check(filter.Roles.Count, field + ".roles");
        Check(filter.Polarities.Count, field + ".polarities");
        Check(filter.PrimaryCategory, Category, field + ".primary_category");
        Check(filter.SubmittedFrom, Date, field + ".submitted_from");
        Check(filter.SubmittedTo, Date, field + ".submitted_to");
        Check(filter.TextContains, TextQuery, field + ".text_contains");
    }

    private static void Check(string value, int limit, string field)
    {
        if (value.Length > limit)
        {
            throw RpcErrors.InvalidArgument(field, $"is {value.Length} characters; the limit is {limit}");
        }
    }

    private static void Check(int entries, string field)
    {
        if (entries > EnumList)
        {
            throw RpcErrors.InvalidArgument(field, $"has {entries} entries; the limit is {EnumList}");
        }
    }
}
