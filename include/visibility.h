/* Included first in every hypervisor and guest source (Makefile -include):
 * one static, position-independent image, so every symbol is local and
 * calls and global accesses go straight, not through the GOT. */
#pragma GCC visibility push(hidden)
