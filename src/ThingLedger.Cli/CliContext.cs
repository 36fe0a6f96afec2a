using System.CommandLine;
using Spectre.Console;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Node;

namespace ThingLedger.Cli;

/// <summary>What a command needs from the parsed line: the node, the keys, the chain, output mode.</summary>
internal sealed class CliContext(ParseResult parse) : IDisposable
{
    private ThingLedgerClient? _client;

    public string DataDirectory => parse.GetValue(CommonOptions.Data)!;

    public bool Json => parse.GetValue(CommonOptions.Json);

    public ThingLedgerClient Client => _client ??= new ThingLedgerClient(parse.GetValue(CommonOptions.Node)!);

    public KeyStore Keys => DevChain.Keys(DataDirectory);

    /// <summary>The chain id to sign for: the local genesis when there is one, else the node's.</summary>
    public async Task<string> ChainIdAsync(CancellationToken cancellationToken) =>
        File.Exists(Node.DataDirectory.GenesisPath(DataDirectory))
            ? Node.DataDirectory.LoadGenesis(DataDirectory).ChainId
            : (await Client.GetStatusAsync(cancellationToken).ConfigureAwait(false)).ChainId;

    /// <summary>
    /// A signer from the key store whose next nonce comes from the node. <paramref name="defaultGasLimit"/>
    /// replaces the usual default limit for a command whose tx walks much state (a market's clearing),
    /// unless --gas-limit says otherwise.
    /// </summary>
    public async Task<Account> SignerAsync(string keyName, CancellationToken cancellationToken, ulong defaultGasLimit = Gas.DefaultTxLimit)
    {
        var key = Keys.Load(keyName);
        var chainId = await ChainIdAsync(cancellationToken).ConfigureAwait(false);
        var given = parse.GetResult(CommonOptions.GasLimit) is { Implicit: false };
        var gasLimit = given ? parse.GetValue(CommonOptions.GasLimit) : defaultGasLimit;
        if (gasLimit is 0 or > Gas.BlockLimit)
        {
            throw new FormatException($"--gas-limit must be between 1 and the block gas limit {Gas.BlockLimit}, not {gasLimit}");
        }
        return new Account(key, chainId, await Client.GetNextNonceAsync(key.Address, cancellationToken).ConfigureAwait(false)) { GasLimit = gasLimit };
    }

    /// <summary>An address given as text (tl…) or as the name of a key in the store.</summary>
    public Address ResolveAddress(string value)
    {
        if (Address.TryParse(value, out var address))
        {
            return address;
        }
        if (Identifiers.IsLabel(value) && Keys.Contains(value))
        {
            using var key = Keys.Load(value);
            return key.Address;
        }
        throw new FormatException($"'{value}' is neither an address (tl + 48 hex digits) nor a key name in {Keys.Directory}");
    }

    /// <summary>The key pair <paramref name="value"/> names (a PEM file with a private key, or a key name in the key store), or null when it names only a public key.</summary>
    public KeyPair? ResolveKeyPair(string value)
    {
        if (File.Exists(value))
        {
            var pem = File.ReadAllText(value);
            return pem.Contains("PRIVATE KEY", StringComparison.Ordinal) ? KeyPair.ImportPem(pem) : null;
        }
        return Identifiers.IsLabel(value) && Keys.Contains(value) ? Keys.Load(value) : null;
    }

    /// <summary>A public key given as 130 hex digits (04‖X‖Y), a PEM file (public or private), or a key name in the store.</summary>
    public PublicKey ResolvePublicKey(string option, string value)
    {
        if (PublicKey.TryParseHex(value, out var hex))
        {
            return hex!;
        }
        using (var pair = ResolveKeyPair(value))
        {
            if (pair is not null)
            {
                return pair.PublicKey;
            }
        }
        if (File.Exists(value))
        {
            return PublicKey.ImportPem(File.ReadAllText(value));
        }
        throw new FormatException($"{option} '{value}' is not a hex public key, a PEM file or a key name in {Keys.Directory}");
    }

    /// <summary>How many times a command signs its tx before it gives up on a nonce other traffic keeps taking.</summary>
    public const int NonceAttempts = 5;

    /// <summary>
    /// Signs <paramref name="operation"/> with <paramref name="account"/>'s next nonce, submits it and
    /// reports the outcome. When the key is also used by live traffic (a running demo, a gateway),
    /// the nonce may be taken meanwhile: a refusal for it (NONCE_REUSED or NONCE_GAP at admission,
    /// NONCE_MISMATCH in execution, which changed nothing) is retried with the node's next nonce,
    /// at most <see cref="NonceAttempts"/> times in all, each retry said on stderr.
    /// </summary>
    public async Task<(int Exit, Transaction Tx)> SubmitAsync(Account account, Operation operation, bool noWait, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var tx = account.Sign(operation);
            string? taken = null;
            TxResultView? result = null;
            try
            {
                result = await Client.SubmitAsync(tx, wait: !noWait, timeoutMs: 30_000, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (result is { Status: TxState.Failed, Code: ErrorCodes.NonceMismatch })
                {
                    taken = result.Code;
                }
            }
            catch (ThingLedgerException e) when (e.Code is ErrorCodes.NonceReused or ErrorCodes.NonceGap && attempt < NonceAttempts)
            {
                taken = e.Code;
            }
            if (taken is null || attempt == NonceAttempts)
            {
                return (Finish(result!), tx);
            }
            await Task.Delay(100 * attempt, cancellationToken).ConfigureAwait(false);
            var next = await Client.GetNextNonceAsync(account.Address, cancellationToken).ConfigureAwait(false);
            account.Rewind(taken == ErrorCodes.NonceGap ? next : Math.Max(next, tx.Nonce + 1));
            Console.Error.WriteLine($"note: {taken}: nonce {tx.Nonce} of {account.Address} was taken by other traffic; signing again with nonce {account.NextNonce} (attempt {attempt + 1} of {NonceAttempts})");
        }
    }

    /// <summary>Reports a submitted tx's outcome (JSON, or a line a person reads); the exit code says whether it failed.</summary>
    private int Finish(TxResultView result)
    {
        if (Json)
        {
            Output.Json(result);
        }
        else
        {
            Report(result);
        }
        return result.Status == TxState.Failed ? CliRunner.Refused : 0;
    }

    private static void Report(TxResultView result)
    {
        switch (result.Status)
        {
            case TxState.Committed:
                CliRunner.Success($"committed in block {result.Height}: tx {result.Id}");
                break;
            case TxState.Failed:
                CliRunner.Error($"{result.Code}: tx {result.Id} was recorded in block {result.Height} as failed; nothing changed");
                break;
            default:
                AnsiConsole.MarkupLine($"[yellow]…[/] accepted, not yet committed: tx {Markup.Escape(result.Id ?? "?")} (check with `thingledger tx show {Markup.Escape(result.Id ?? "")}`)");
                break;
        }
    }

    public void Dispose() => _client?.Dispose();
}
