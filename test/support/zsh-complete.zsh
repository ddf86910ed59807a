# zsh -f zsh-complete.zsh FPATH_DIR LINE: the completions zsh offers for LINE<TAB>, one per line,
# from a real interactive zsh in a pseudo-terminal (zpty) whose compadd also prints what it adds.
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT= ; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd () { builtin compadd -O __hits "$@"; (( $#__hits )) && print -l -- "HIT""HIT:${^__hits}" ; builtin compadd "$@" }'
zpty -w z "zstyle ':completion:*' list-grouped false; zstyle ':completion:*' insert-tab false"
zpty -w z 'bindkey "^I" complete-word; zle_done() { print "<<DO""NE>>"; }; zle -N zle_done; bindkey "^X" zle_done'
zpty -w z 'print "<<READ""Y>>"'
zpty -r z line '*<<READY>>*'
zpty -n -w z "$2"$'\t'
zpty -n -w z $'\C-x'
# Bounded: the loop ends at the marker the ^X widget prints, or when zsh has no more output.
while zpty -r z line; do
  [[ $line == *'<<DONE>>'* ]] && break
  [[ $line == *'<<READY>>'* ]] && continue
  # What compadd printed: "HITHIT:word word ...", maybe after the echoed line. The markers are written
  # split in the commands above, so the terminal's echo of those commands never matches them.
  [[ $line == *HITHIT:* ]] && print -rl -- ${=${${line##*HITHIT:}%%[$'\r\n']*}}
done
zpty -d z
