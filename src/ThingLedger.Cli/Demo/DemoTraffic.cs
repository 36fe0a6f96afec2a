using ThingLedger.Client;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Cli.Demo;

/// <summary>
/// Live traffic for the demo: driving rewards minted to EV owners, energy credits to meter
/// owners, owners paying each other, and now and then a device changing hands. Txs are signed
/// with locally counted nonces; after any refusal the accounts resynchronise with the node.
/// </summary>
internal sealed class DemoTraffic
{
    private readonly ThingLedgerClient _client;
    private readonly DemoScenario _world;
    private readonly int _ratePerSecond;
    private readonly Random _random = new(7);
    private readonly Dictionary<Core.Crypto.Address, ulong> _volt = [];

    public DemoTraffic(ThingLedgerClient client, DemoScenario world, int ratePerSecond)
    {
        _client = client;
        _world = world;
        _ratePerSecond = ratePerSecond;
    }

    public long Submitted { get; private set; }

    public long Refused { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var tick = TimeSpan.FromMilliseconds(250);
        var perTick = Math.Max(1, _ratePerSecond / 4);
        using var timer = new PeriodicTimer(tick);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var batch = new List<Transaction>(perTick);
            for (var i = 0; i < perTick; i++)
            {
                batch.Add(Next());
            }
            var response = await _client.SubmitAsync(batch, cancellationToken: cancellationToken).ConfigureAwait(false);
            Submitted += response.Accepted;
            if (response.Rejected > 0)
            {
                Refused += response.Rejected;
                await ResyncAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Transaction Next()
    {
        var roll = _random.Next(100);
        var owner = _world.Owners[_random.Next(_world.Owners.Count)];
        if (roll < 45)
        {
            // A trip's worth of shared driving data earns points.
            var points = (ulong)_random.Next(5, 60);
            _volt[owner.Address] = _volt.GetValueOrDefault(owner.Address) + points;
            return _world.Admins["voltmotors"].Sign(Operations.Mint(DemoScenario.Volt, owner.Address, points));
        }
        if (roll < 75)
        {
            var wh = (ulong)_random.Next(100, 2_500);
            return _world.Admins["gridco"].Sign(Operations.Mint(DemoScenario.Kwh, owner.Address, wh));
        }
        var payee = _world.Owners[_random.Next(_world.Owners.Count)];
        var balance = _volt.GetValueOrDefault(owner.Address);
        if (roll < 98 && balance >= 5)
        {
            var amount = (ulong)_random.Next(1, (int)Math.Min(balance, 20));
            _volt[owner.Address] = balance - amount;
            _volt[payee.Address] = _volt.GetValueOrDefault(payee.Address) + amount;
            return owner.Sign(Operations.Transfer(DemoScenario.Volt, payee.Address, amount));
        }
        return _world.Admins["voltmotors"].Sign(Operations.Mint(DemoScenario.Volt, payee.Address, 1));
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        foreach (var account in _world.Admins.Values.Concat(_world.Owners))
        {
            account.Rewind(await _client.GetNextNonceAsync(account.Address, cancellationToken).ConfigureAwait(false));
        }
    }
}
