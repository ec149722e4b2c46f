using System.Security.Cryptography;
using System.Text;

namespace CitationService.Classification.Data;

/// <summary>Deterministic grouped splits: a SHA-256 of salt + group id picks the bucket, so a group never straddles splits.</summary>
public static class StableSplit
{
    /// <summary>A bucket in [0, 1000) for the group id.</summary>
    public static int Bucket(string salt, string groupId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + groupId));
        return (int)(BitConverter.ToUInt32(hash, 0) % 1000);
    }

    /// <summary>True when the group falls in the first <paramref name="fraction"/> of buckets.</summary>
    public static bool InFraction(string salt, string groupId, double fraction) => Bucket(salt, groupId) < fraction * 1000;
}
