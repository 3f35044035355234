using Flywheel.Cli;

return await CommandLine.RunAsync(args);
