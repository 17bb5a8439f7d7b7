/** A command as shell completion sees it. */
export interface CompletionCommand {
  name: string;
  description: string;
  flags: CompletionFlag[];
}

export interface CompletionFlag {
  long: string;
  short: string | undefined;
  description: string;
  takesValue: boolean;
}

// `mallet logs` and `mallet runs` complete saved run names from the default state directory.
const RUN_NAMES = "ls .mallet/runs 2>/dev/null";

/** A bash completion script; zsh uses it through bashcompinit. */
export function bashScript(commands: readonly CompletionCommand[]): string {
  const cases = commands.map((command) => {
    const flags = command.flags.flatMap((flag) => [
      `--${flag.long}`,
      ...(flag.short ? [`-${flag.short}`] : []),
    ]);
    return `    ${command.name}) opts="${flags.join(" ")}" ;;`;
  });
  return `# mallet completion for bash: add  source <(mallet completion bash)  to ~/.bashrc
_mallet() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmd=\${COMP_WORDS[1]} opts=""
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${commands.map((command) => command.name).join(" ")} --help --version" -- "$cur"))
    return
  fi
  case $cmd in
${cases.join("\n")}
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
  elif [[ $cmd == logs ]]; then
    COMPREPLY=($(compgen -W "$(${RUN_NAMES})" -- "$cur"))
  elif [[ $cmd == completion ]]; then
    COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -o bashdefault -F _mallet mallet
`;
}

/** A zsh script: the bash one, loaded through zsh's bash completion layer. */
export function zshScript(commands: readonly CompletionCommand[]): string {
  return `# mallet completion for zsh: add  source <(mallet completion zsh)  to ~/.zshrc
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashScript(commands).split("\n").slice(1).join("\n")}`;
}

/** A fish script, with each command's and flag's description. */
export function fishScript(commands: readonly CompletionCommand[]): string {
  const quote = (text: string) =>
    `'${text.split("\n")[0]?.replaceAll("\\", "\\\\").replaceAll("'", "\\'") ?? ""}'`;
  const lines = [
    "# mallet completion for fish: mallet completion fish > ~/.config/fish/completions/mallet.fish",
    "complete -c mallet -f",
  ];
  for (const command of commands) {
    lines.push(
      `complete -c mallet -n __fish_use_subcommand -a ${command.name} -d ${quote(command.description)}`,
    );
    for (const flag of command.flags) {
      const short = flag.short ? ` -s ${flag.short}` : "";
      const value = flag.takesValue ? " -r" : "";
      lines.push(
        `complete -c mallet -n '__fish_seen_subcommand_from ${command.name}' -l ${flag.long}${short}${value} -d ${quote(flag.description)}`,
      );
    }
  }
  lines.push(`complete -c mallet -n '__fish_seen_subcommand_from logs' -a '(${RUN_NAMES})'`);
  lines.push("complete -c mallet -n '__fish_seen_subcommand_from run graph' -F");
  lines.push("complete -c mallet -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'");
  return `${lines.join("\n")}\n`;
}
