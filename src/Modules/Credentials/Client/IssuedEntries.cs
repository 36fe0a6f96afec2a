using System.Globalization;
using System.Security.Cryptography;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Client.Credentials;

/// <summary>
/// An issuer's record of the status list entries it gave out, one file per list in a directory:
/// each new entry is chosen at random among the unused ones (so an index tells nothing about when
/// or to whom it was issued) and flushed to disk before the credential exists, so no two credentials
/// ever share an entry, across restarts and crashes.
/// </summary>
public sealed class IssuedEntries(string directory)
{
    public string Directory { get; } = directory;

    public uint Allocate(Address issuer, string list, uint size)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"{issuer}.{list}.txt");
        var used = new HashSet<uint>();
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                used.Add(uint.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < size
                    ? index
                    : throw new FormatException($"{path} is damaged: '{line}' is not an entry of a list of {size}"));
            }
        }
        if (used.Count >= size)
        {
            throw new InvalidOperationException($"every entry of {issuer}/{list} is in use: create another list");
        }
        uint chosen;
        do
        {
            chosen = (uint)RandomNumberGenerator.GetInt32((int)size);
        }
        while (used.Contains(chosen));
        OwnerOnlyFile.AppendLine(path, chosen.ToString(CultureInfo.InvariantCulture));
        return chosen;
    }
}
