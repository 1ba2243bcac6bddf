<!DOCTYPE html>
<html lang="<?cs alt:Page.Lang ?>en<?cs /alt ?>">
<head><meta charset="utf-8"><title><?cs var:Mail.Subject ?></title></head>
<body style="margin:0;padding:24px;background:<?cs alt:Brand.BackgroundColor ?>#f4f5f7<?cs /alt ?>;font-family:sans-serif;color:#222">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<?cs if:Brand.Logo ?><img src="<?cs if:string.slice(Brand.Logo, 0, 1) == "/" ?><?cs var:Mail.Origin ?><?cs /if ?><?cs var:Brand.Logo ?>" alt="" style="max-height:48px"><?cs /if ?>
<h1 style="font-size:20px;color:<?cs alt:Brand.PrimaryColor ?>#1a73e8<?cs /alt ?>"><?cs var:Brand.Title ?></h1>
<?cs call:body() ?>
<p style="font-size:12px;color:#666"><?cs var:Msg.mailFooter.0 ?><?cs var:Brand.Title ?><?cs var:Msg.mailFooter.1 ?></p>
</div>
</body>
</html>
