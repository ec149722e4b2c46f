using Google.Protobuf;

namespace CitationService.Server.Grpc;

/// <summary>
/// Keeps a list response under a client's default 4 MB receive limit whatever is stored: a list stops
/// adding items before they pass <see cref="Bytes"/> and hands out a next_page_token there.
/// </summary>
internal sealed class ResponseBudget
{
    /// <summary>4 MB less room for the next_page_token and the message framing.</summary>
    public const int Bytes = 3_500_000;

    private int _used;

    /// <summary>
    /// Counts <paramref name="item"/> as one entry of the response's repeated field; false when it would pass
    /// the budget. The first item always counts, so paging always moves on; <see cref="Core.Pages.PageLimits"/>
    /// keeps one item far below the budget.
    /// </summary>
    public bool TryAdd(IMessage item)
    {
        // The entry's length prefix and body, and its one-byte tag (field numbers below 16).
        var size = CodedOutputStream.ComputeMessageSize(item) + 1;
        if (_used > 0 && _used + size > Bytes)
        {
            return false;
        }
        _used += size;
        return true;
    }
}
