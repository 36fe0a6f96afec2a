using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution;
using ThingLedger.Node;

namespace ThingLedger.Cli.Demo;

/// <summary>
/// The demo's world: an EV maker rewarding drivers in VOLT points, a utility crediting
/// exported solar energy in KWH, an appliance maker with washing machines; devices owned by
/// six people. Setting up is idempotent, so a demo can resume on the same data directory.
/// </summary>
internal sealed class DemoScenario
{
    public const string Volt = "VOLT";
    public const string Kwh = "KWH";

    private static readonly (string Org, string Model, string Prefix, int Count)[] Fleet =
    [
        ("voltmotors", "EV-7", "VIN", 6),
        ("gridco", "SmartMeter-3", "MTR", 4),
        ("homeappliance", "WashPro-9", "WM", 3),
    ];

    private readonly ThingLedgerClient _client;
    private readonly KeyStore _keys;
    private readonly string _chainId;

    public DemoScenario(ThingLedgerClient client, KeyStore keys, string chainId)
    {
        _client = client;
        _keys = keys;
        _chainId = chainId;
    }

    public Dictionary<string, Account> Admins { get; } = new(StringComparer.Ordinal);

    public List<Account> Owners { get; } = [];

    public List<Address> Devices { get; } = [];

    /// <summary>The EV-7 cars' device keys.</summary>
    public List<KeyPair> Cars { get; } = [];

    public async Task SetUpAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        foreach (var org in DevChain.SampleOrgs)
        {
            Admins[org.Id] = await Account.OpenAsync(_client, _keys.Load(DevChain.AdminKeyName(org.Id)), _chainId, cancellationToken).ConfigureAwait(false);
        }
        for (var i = 1; i <= 6; i++)
        {
            var name = $"owner-{i}";
            var key = _keys.Contains(name) ? _keys.Load(name) : _keys.Create(name);
            Owners.Add(await Account.OpenAsync(_client, key, _chainId, cancellationToken).ConfigureAwait(false));
        }

        var created = await EnsureTokenAsync(Admins["voltmotors"], Volt, "Volt driving points", cancellationToken).ConfigureAwait(false)
            | await EnsureTokenAsync(Admins["gridco"], Kwh, "Exported solar energy (Wh)", cancellationToken).ConfigureAwait(false);
        progress(created ? "created tokens VOLT (driving rewards) and KWH (exported energy)" : "tokens VOLT and KWH exist already: resuming this chain");

        var registrations = new List<Core.Ledger.Transaction>();
        var owner = 0;
        foreach (var (org, model, prefix, count) in Fleet)
        {
            for (var i = 1; i <= count; i++)
            {
                var name = $"{prefix.ToLowerInvariant()}-{i}";
                var key = _keys.Contains(name) ? _keys.Load(name) : _keys.Create(name);
                Devices.Add(key.Address);
                if (org == "voltmotors")
                {
                    Cars.Add(key);
                }
                if (await _client.GetDeviceAsync(key.Address, cancellationToken).ConfigureAwait(false) is null)
                {
                    var metadata = new Dictionary<string, string> { ["firmware"] = "1.0." + i, ["site"] = "demo" };
                    if (org == "voltmotors")
                    {
                        // What the carbon methodology reads: the baseline class and the grid region.
                        metadata["class"] = "car";
                        metadata["region"] = DemoCredits.Region;
                    }
                    registrations.Add(Admins[org].Sign(Operations.RegisterDevice(key, Admins[org].ChainId, org, model, $"{prefix}-{i:D4}", Owners[owner % Owners.Count].Address, metadata)));
                }
                owner++;
            }
        }
        progress(registrations.Count == 0
            ? $"its {Devices.Count} devices (6 EVs, 4 smart meters, 3 washing machines) are registered already"
            : $"registering {registrations.Count} of its {Devices.Count} devices (6 EVs, 4 smart meters, 3 washing machines)");
        if (registrations.Count > 0)
        {
            var response = await _client.SubmitAsync(registrations, wait: true, timeoutMs: 30_000, cancellationToken).ConfigureAwait(false);
            var refused = response.Results.FirstOrDefault(r => r.Code is not null);
            if (refused is not null)
            {
                throw new InvalidOperationException($"registering demo devices failed: {refused.Code} {refused.Message}");
            }
        }
    }

    /// <summary>Creates the token unless it exists; true when it created it.</summary>
    private async Task<bool> EnsureTokenAsync(Account admin, string symbol, string name, CancellationToken cancellationToken)
    {
        if (await _client.GetTokenAsync(symbol, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }
        var result = await _client.SubmitAsync(admin.Sign(Operations.CreateToken(symbol, name, 0, Roles.Admin | Roles.Operator, 0)), wait: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.Status != TxState.Committed)
        {
            throw new InvalidOperationException($"creating {symbol} failed: {result.Code}");
        }
        return true;
    }
}
