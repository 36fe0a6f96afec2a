using ThingLedger.Cli;

Output.ConfigureConsole();
return await CliApp.Root().Parse(args).InvokeAsync();
