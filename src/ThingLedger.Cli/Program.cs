using ThingLedger.Cli;

return await CliApp.Root().Parse(args).InvokeAsync();
