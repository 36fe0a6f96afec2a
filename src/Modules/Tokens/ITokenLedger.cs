using ThingLedger.Core.Crypto;
using ThingLedger.Core.State;

namespace ThingLedger.Execution.Modules.Tokens;

/// <summary>
/// The token ledger's surface for other modules: the only way another module changes a balance
/// or a supply. Writes go under "tokens/" with the tokens module's authority for the duration
/// of the call, and emit the same tokens events as the module's own operations, so holders,
/// histories and the explorer see one ledger. The sum of balances equals the supply throughout.
/// </summary>
public interface ITokenLedger
{
    /// <summary>The token <paramref name="symbol"/> (created by an org, or issued by a module), or null.</summary>
    TokenRecord? Find(IStateReader state, string symbol);

    UInt128 BalanceOf(IStateReader state, string symbol, Address holder);

    /// <summary>
    /// Creates <paramref name="symbol"/> owned by <paramref name="org"/> with no mint roles: the
    /// tokens module's mint and burn refuse it; only the module that created it issues and destroys.
    /// </summary>
    Outcome CreateIssued(TxContext context, string symbol, string org, string name, byte decimals);

    /// <summary>Adds <paramref name="amount"/> to the supply and to <paramref name="to"/>'s balance, within the cap.</summary>
    Outcome Issue(TxContext context, string symbol, Address to, UInt128 amount);

    /// <summary>Moves <paramref name="amount"/> from one holder to another.</summary>
    Outcome Move(TxContext context, string symbol, Address from, Address to, UInt128 amount);

    /// <summary>Takes <paramref name="amount"/> out of <paramref name="from"/>'s balance and the supply.</summary>
    Outcome Destroy(TxContext context, string symbol, Address from, UInt128 amount);
}
