using System.Globalization;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution;

/// <summary>
/// One decoded field of a tx payload, as the explorer shows it, with the explorer page it points
/// to (docs/EXPLORER.md lists the routes). Every operation describes its payload with these
/// (<see cref="OperationTable.Add{T}"/> requires it), so no tx shows up as undecoded bytes.
/// </summary>
/// <param name="AmountOf">For an amount of a token (in its smallest units): the token's symbol, so pages show it in the token's units.</param>
public sealed record PayloadField(string Name, string Value, string? Href = null, string? AmountOf = null)
{
    public static PayloadField Text(string name, string value) => new(name, value);

    /// <summary>An amount of <paramref name="symbol"/> in its smallest units; shown in the token's units with its symbol.</summary>
    public static PayloadField Amount(string name, UInt128 value, string symbol) => new(name, value.ToString(CultureInfo.InvariantCulture), null, symbol);

    public static PayloadField Number<T>(string name, T value) where T : IFormattable => new(name, value.ToString(null, CultureInfo.InvariantCulture));

    public static PayloadField Token(string symbol, string name = "token") => new(name, symbol, $"/tokens/{symbol}");

    public static PayloadField Org(string org, string name = "organisation") => new(name, org, $"/orgs/{org}");

    public static PayloadField Device(Address device, string name = "device") => new(name, device.ToString(), $"/devices/{device}");

    public static PayloadField Account(string name, Address address) => new(name, address.ToString(), $"/accounts/{address}");

    public static PayloadField Tx(string name, Hash id) => new(name, id.ToString(), $"/txs/{id}");

    /// <summary>A time in ms since the Unix epoch as ISO-8601 UTC with milliseconds (2026-12-04T10:00:00.000Z), as the explorer and the CLI write times.</summary>
    public static string Time(ulong unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(unixMs, 253_402_300_799_999)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static PayloadField Block(string name, ulong height) => new(name, height.ToString(CultureInfo.InvariantCulture), $"/blocks/{height}");
}
