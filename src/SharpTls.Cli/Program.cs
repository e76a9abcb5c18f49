using SharpTls.Cli;

return await CliApp.RunAsync(args);
