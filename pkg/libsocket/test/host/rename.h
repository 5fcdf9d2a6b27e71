/* rename.h - forced into every file of libsocket's host test: its
 * <arpa/inet.h> functions under names of their own, not glibc's. */
#define inet_addr lsk_inet_addr
#define inet_aton lsk_inet_aton
#define inet_ntoa lsk_inet_ntoa
#define inet_pton lsk_inet_pton
#define inet_ntop lsk_inet_ntop
