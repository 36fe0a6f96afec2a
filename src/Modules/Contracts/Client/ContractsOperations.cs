using ThingLedger.Execution.Modules.Contracts;

namespace ThingLedger.Client;

/// <summary>The contracts module's operations, ready to sign (docs/CONTRACTS.md).</summary>
public static partial class Operations
{
    /// <summary>Proposes a new contract; on a solo node (or where the proposer's organisation is the quorum) it takes effect at once.</summary>
    [Builds(ContractsNames.ModuleName, ContractsNames.Deploy)]
    public static Operation DeployContract(DeployPayload proposal) => Operation.Of(ContractsNames.ModuleName, ContractsNames.Deploy, proposal);

    /// <summary>Proposes a new version of a deployed contract; its state is kept.</summary>
    [Builds(ContractsNames.ModuleName, ContractsNames.Upgrade)]
    public static Operation UpgradeContract(DeployPayload proposal) => Operation.Of(ContractsNames.ModuleName, ContractsNames.Upgrade, proposal);

    [Builds(ContractsNames.ModuleName, ContractsNames.Freeze)]
    public static Operation FreezeContract(string name) => Operation.Of(ContractsNames.ModuleName, ContractsNames.Freeze, new ContractNamePayload(name));

    [Builds(ContractsNames.ModuleName, ContractsNames.Unfreeze)]
    public static Operation UnfreezeContract(string name) => Operation.Of(ContractsNames.ModuleName, ContractsNames.Unfreeze, new ContractNamePayload(name));

    [Builds(ContractsNames.ModuleName, ContractsNames.Approve)]
    public static Operation ApproveContractProposal(Core.Crypto.Hash proposal) => Operation.Of(ContractsNames.ModuleName, ContractsNames.Approve, new ApproveContractPayload(proposal));

    /// <summary>Calls <paramref name="method"/> with its arguments canonically encoded (<see cref="ContractAbi.Encode"/>), optionally paying a deposit into the contract.</summary>
    [Builds(ContractsNames.ModuleName, ContractsNames.Call)]
    public static Operation CallContract(string contract, string method, byte[] args, string depositToken = "", UInt128 depositAmount = default) =>
        Operation.Of(ContractsNames.ModuleName, ContractsNames.Call, new CallPayload(contract, method, args, depositToken, depositAmount));
}
