namespace ThingLedger.Execution.Modules.Contracts;

/// <summary>
/// The contracts module's error codes (docs/ERRORS.md, "Contracts"). New codes start with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class ContractsErrors
{
    public const string Prefix = "CONTRACTS_";

    /// <summary>The code is not a WebAssembly module this engine accepts (malformed, or using a disabled feature such as threads or SIMD).</summary>
    public const string WasmInvalid = "CONTRACTS_WASM_INVALID";

    /// <summary>The module imports something the host interface does not offer, or a host function with another signature.</summary>
    public const string ImportUnknown = "CONTRACTS_IMPORT_UNKNOWN";

    /// <summary>The module does not export its memory, or a method its metadata declares as a function () → ().</summary>
    public const string ExportMissing = "CONTRACTS_EXPORT_MISSING";

    public const string CodeTooLarge = "CONTRACTS_CODE_TOO_LARGE";

    /// <summary>The module declares more initial memory than a contract may have, or more than one memory or table.</summary>
    public const string MemoryTooLarge = "CONTRACTS_MEMORY_TOO_LARGE";

    public const string MetadataInvalid = "CONTRACTS_METADATA_INVALID";

    public const string NameInvalid = "CONTRACTS_NAME_INVALID";

    public const string Exists = "CONTRACTS_EXISTS";

    public const string NotFound = "CONTRACTS_NOT_FOUND";

    public const string Frozen = "CONTRACTS_FROZEN";

    public const string NotFrozen = "CONTRACTS_NOT_FROZEN";

    /// <summary>An upgrade to the version or code the contract already runs.</summary>
    public const string VersionInvalid = "CONTRACTS_VERSION_INVALID";

    public const string ProposalNotFound = "CONTRACTS_PROPOSAL_NOT_FOUND";

    public const string ProposalClosed = "CONTRACTS_PROPOSAL_CLOSED";

    public const string AlreadyApproved = "CONTRACTS_ALREADY_APPROVED";

    public const string MethodUnknown = "CONTRACTS_METHOD_UNKNOWN";

    /// <summary>Call arguments (or init arguments) that do not decode as the method's declared types.</summary>
    public const string ArgsInvalid = "CONTRACTS_ARGS_INVALID";

    /// <summary>The contract's call policy does not admit the signer.</summary>
    public const string CallRefused = "CONTRACTS_CALL_REFUSED";

    /// <summary>The contract reverted: its code and message are in the receipt's contracts/reverted event.</summary>
    public const string Reverted = "CONTRACTS_REVERTED";

    /// <summary>The contract trapped (unreachable, out-of-bounds memory, stack overflow…): the trap is in the receipt's contracts/trapped event.</summary>
    public const string Trapped = "CONTRACTS_TRAPPED";

    public const string CallDepth = "CONTRACTS_CALL_DEPTH";

    public const string Reentrant = "CONTRACTS_REENTRANT";

    /// <summary>The method's output does not decode as its declared result types.</summary>
    public const string ResultInvalid = "CONTRACTS_RESULT_INVALID";

    /// <summary>An event the contract's metadata does not declare, or data that does not decode as its fields.</summary>
    public const string EventInvalid = "CONTRACTS_EVENT_INVALID";

    /// <summary>A storage key or value over its limit, a bad pointer, or a host call made with arguments out of range.</summary>
    public const string HostCallInvalid = "CONTRACTS_HOST_CALL_INVALID";

    /// <summary>A query (a read-only run) tried to write state, pay or emit.</summary>
    public const string ReadOnly = "CONTRACTS_READ_ONLY";
}
