using ThingLedger.Cli;

Output.ConfigureConsole();
var parsed = CliApp.Root().Parse(args);
Output.Wide = parsed.GetValue(CommonOptions.Wide);
return await parsed.InvokeAsync();
