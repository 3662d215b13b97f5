# Sourced by the scripts that reach Debian's archive: the archive URI and
# suite this machine's own apt sources already name, so that no host name
# is written into the repository.

# The first "URIs:" (deb822) or "deb URI suite" (one-line) entry for Debian
# main, not the security archive.
debian_uri() {
	local uri=""
	if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
		uri=$(awk '/^URIs:/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources)
	fi
	if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
		uri=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /:\/\//) {print $i; exit}}' /etc/apt/sources.list)
	fi
	echo "$uri"
}

# The release's code name (bookworm, trixie, ...), empty if unknown.
debian_codename() {
	local VERSION_CODENAME=""
	[ -r /etc/os-release ] && . /etc/os-release
	echo "${VERSION_CODENAME:-}"
}
