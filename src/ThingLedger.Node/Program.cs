using ThingLedger.Node;

NodeApp.Build(args).Run();

/// <summary>The entry point, visible to in-process HTTP tests.</summary>
public partial class Program;
