# How OpenSslRecordVectorTests.cs was made: openssl s_server/s_client through a recording proxy,
# client write keys from the key log (RFC 5246 6.3 key block). Needs /tmp/kat/{c,k}.pem (any P-256 cert).
# Run once by hand; the test keeps the output, it does not run this.
import socket, subprocess, threading, time, hmac, hashlib, sys, json, os, random

def prf12(h, secret, label, seed, n):
    out=b''; a=label+seed; s=label+seed
    while len(out)<n:
        a=hmac.new(secret,a,h).digest()
        out+=hmac.new(secret,a+s,h).digest()
    return out[:n]
def p_hash(h, secret, seed, n):
    out=b''; a=seed
    while len(out)<n:
        a=hmac.new(secret,a,h).digest(); out+=hmac.new(secret,a+seed,h).digest()
    return out[:n]
def prf10(secret,label,seed,n):
    half=(len(secret)+1)//2
    s1=secret[:half]; s2=secret[len(secret)-half:]
    a=p_hash(hashlib.md5,s1,label+seed,n); b=p_hash(hashlib.sha1,s2,label+seed,n)
    return bytes(x^y for x,y in zip(a,b))

def records(buf):
    out=[]; i=0
    while i+5<=len(buf):
        l=int.from_bytes(buf[i+3:i+5],'big'); out.append(buf[i:i+5+l]); i+=5+l
    return out

def capture(name, proto, cipher, extra, maclen, keylen, ivlen, prf):
    port=random.randint(20000,40000)
    srv=subprocess.Popen(['openssl','s_server','-accept',str(port),'-cert','/tmp/kat/c.pem','-key','/tmp/kat/k.pem',proto,'-cipher',cipher,'-naccept','1','-quiet']+extra,stdin=subprocess.PIPE,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    lsock=socket.socket(); lsock.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1); lsock.bind(('127.0.0.1',0)); lsock.listen(1)
    pport=lsock.getsockname()[1]
    c2s=bytearray(); s2c=bytearray()
    def proxy():
        cs,_=lsock.accept(); ss=socket.create_connection(('127.0.0.1',port))
        def pump(a,b,acc):
            while True:
                try: d=a.recv(65536)
                except OSError: d=b''
                if not d:
                    try: b.shutdown(socket.SHUT_WR)
                    except OSError: pass
                    return
                acc.extend(d); b.sendall(d)
        t1=threading.Thread(target=pump,args=(cs,ss,c2s)); t2=threading.Thread(target=pump,args=(ss,cs,s2c))
        t1.start(); t2.start(); t1.join(); t2.join()
    t=threading.Thread(target=proxy); t.start()
    kl='/tmp/kat/kl_'+name
    if os.path.exists(kl): os.remove(kl)
    cl=subprocess.run(['openssl','s_client','-connect',f'127.0.0.1:{pport}',proto,'-cipher',cipher,'-keylogfile',kl,'-quiet','-no_ign_eof']+extra,input=b'hello\n',capture_output=True,timeout=20)
    time.sleep(0.5); srv.kill(); t.join(timeout=5)
    cr=records(bytes(c2s)); sr=records(bytes(s2c))
    crand=cr[0][11:43]; srand=sr[0][11:43]
    line=[l for l in open(kl).read().split('\n') if l.startswith('CLIENT_RANDOM')][0].split()
    assert bytes.fromhex(line[1])==crand
    ms=bytes.fromhex(line[2])
    n=2*(maclen+keylen+ivlen)
    kb = prf(ms,b'key expansion',srand+crand,n)
    cmac=kb[:maclen]; ckey=kb[2*maclen:2*maclen+keylen]; civ=kb[2*maclen+2*keylen:2*maclen+2*keylen+ivlen]
    # client records after CCS
    idx=[i for i,r in enumerate(cr) if r[0]==20][0]
    prot=cr[idx+1:]
    return dict(name=name, master=ms.hex(), client_random=crand.hex(), server_random=srand.hex(), mac_key=cmac.hex(), key=ckey.hex(), iv=civ.hex(), records=[r.hex() for r in prot], client_err=cl.stderr.decode()[-300:])

s256=lambda *a: prf12(hashlib.sha256,*a)
s384=lambda *a: prf12(hashlib.sha384,*a)
jobs=[
 ('tls12_aes128gcm','-tls1_2','ECDHE-ECDSA-AES128-GCM-SHA256',[],0,16,4,s256),
 ('tls12_aes256gcm','-tls1_2','ECDHE-ECDSA-AES256-GCM-SHA384',[],0,32,4,s384),
 ('tls12_chacha','-tls1_2','ECDHE-ECDSA-CHACHA20-POLY1305',[],0,32,12,s256),
 ('tls12_aes128ccm8','-tls1_2','ECDHE-ECDSA-AES128-CCM8',[],0,16,4,s256),
 ('tls12_aes128ccm','-tls1_2','ECDHE-ECDSA-AES128-CCM',[],0,16,4,s256),
 ('tls12_cbc_sha256_etm','-tls1_2','ECDHE-ECDSA-AES128-SHA256',[],32,16,0,s256),
 ('tls12_cbc_sha256_mte','-tls1_2','ECDHE-ECDSA-AES128-SHA256',['-no_etm'],32,16,0,s256),
 ('tls10_cbc_sha1_mte','-tls1','ECDHE-ECDSA-AES128-SHA@SECLEVEL=0',['-no_etm'],20,16,16,prf10),
 ('tls10_cbc_sha1_etm','-tls1','ECDHE-ECDSA-AES128-SHA@SECLEVEL=0',[],20,16,16,prf10),
 ('tls12_3des_mte','-tls1_2','ECDHE-ECDSA-DES-CBC3-SHA@SECLEVEL=0',['-no_etm'],20,24,0,s256),
]
res=[]
for j in jobs:
    try: res.append(capture(*j))
    except Exception as e: res.append(dict(name=j[0],error=repr(e)))
json.dump(res,open('/tmp/kat/vectors.json','w'),indent=1)
for r in res: print(r['name'], r.get('error') or [len(x)//2 for x in r['records']])
