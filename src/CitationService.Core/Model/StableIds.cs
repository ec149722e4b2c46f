using System.Security.Cryptography;
using System.Text;

namespace CitationService.Core.Model;

/// <summary>Ids derived from content, so the same page yields the same ids on every machine.</summary>
public static class StableIds
{
    /// <summary>A hub's id: from its source URL when it has one, else from its normalised title.</summary>
    public static string ForHub(string sourceUrl, string title) =>
        "hub_" + Hash(sourceUrl.Length > 0 ? "url:" + sourceUrl.Trim() : "title:" + TextNormalizer.NormalizeTitle(title));

    /// <summary>A citing paper's id: from its hub and its normalised title (its summary when it has no title).</summary>
    public static string ForCitingPaper(string hubId, string title, string? summary) =>
        "cp_" + Hash(hubId + "\n" + (title.Length > 0 ? TextNormalizer.NormalizeTitle(title) : "summary:" + TextNormalizer.NormalizeTitle(summary ?? "")));

    private static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 8));
}
