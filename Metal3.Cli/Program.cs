using Metal3.Cli;

return await Metal3Ctl.RunAsync(args);
